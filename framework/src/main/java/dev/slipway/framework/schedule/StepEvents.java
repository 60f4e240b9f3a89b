package dev.slipway.framework.schedule;

import dev.slipway.framework.events.EventSink;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tells the event stream what each stored step changed: instances' states and health, and each
 * deployment the step stored (see {@link Deployments}): its progress ({@code 2/3 web up}), its
 * success, or its failure or rollback with the reason. Runs on the scheduler thread only, after
 * the step's write is stored.
 */
final class StepEvents {
    private final EventSink events;

    StepEvents(EventSink events) {
        this.events = events;
    }

    /** The instances {@code step} puts, as {@code model} holds them before it is applied (null: new). */
    static Map<String, Instance> before(Step step, Model model) {
        Map<String, Instance> before = new HashMap<>();
        step.puts().keySet().forEach(id -> before.put(id, model.instance(id)));
        step.deletes().forEach(id -> before.put(id, model.instance(id)));
        return before;
    }

    /** Tells what {@code step}, now applied to {@code model}, changed; {@code before} as {@link #before} read it. */
    void applied(Step step, Map<String, Instance> before, Model model) {
        if (events == EventSink.NONE) {
            return;
        }
        new TreeMap<>(step.puts()).values().forEach(after -> {
            Instance was = before.get(after.taskId());
            if (was == null || was.state() != after.state()) {
                events.publish(EventTypes.INSTANCE_STATE, after.app(), instanceFields(after, Map.of(
                        "previous_state", was == null ? "" : was.state().name()),
                        after.name() + " (v" + after.release() + ") " + (was == null ? "" : was.state() + " -> ")
                                + after.state() + (was == null || after.message().isEmpty()
                                || after.message().equals(was.message()) ? "" : ": " + after.message())));
            }
            if (was != null && was.healthy() != after.healthy()) {
                events.publish(EventTypes.INSTANCE_HEALTH, after.app(), instanceFields(after, Map.of(),
                        after.name() + " (v" + after.release() + ") " + (after.healthy() ? "healthy" : "unhealthy")));
            }
        });
        step.appsDeleted().forEach(app -> {
            events.publish(EventTypes.APP_DESTROYED, app, Map.of("message", "app " + app + " destroyed"));
        });
        step.deployments().forEach(this::deployment);
    }

    private static Map<String, Object> instanceFields(Instance instance, Map<String, Object> more, String message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("instance", instance.name());
        fields.put("process", instance.process());
        fields.put("release", instance.release());
        fields.put("state", instance.state().name());
        fields.putAll(more);
        fields.put("healthy", instance.healthy());
        fields.put("task_id", instance.taskId());
        fields.put("host", instance.host());
        fields.put("port", instance.port());
        fields.put("message", message);
        return fields;
    }

    /** Tells the progress of each deployment the step stored, and its end. */
    private void deployment(Deployment deployment) {
        String type = switch (deployment.state()) {
            case SUCCEEDED -> EventTypes.DEPLOYMENT_SUCCEEDED;
            case FAILED, ROLLED_BACK -> EventTypes.DEPLOYMENT_FAILED;
            default -> EventTypes.DEPLOYMENT_PROGRESS;
        };
        String message = "v" + deployment.to() + switch (deployment.state()) {
            case SUCCEEDED -> " deployed: " + deployment.progress();
            case FAILED -> " failed: " + deployment.reason();
            case ROLLED_BACK -> " rolled back: " + deployment.reason();
            case SUPERSEDED -> " superseded: " + deployment.reason();
            default -> ": " + (deployment.progress().isEmpty() ? deployment.state().word() : deployment.progress());
        };
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("release", deployment.to());
        fields.put("deployment", deployment.id());
        fields.put("state", deployment.state().word());
        fields.put("progress", deployment.progress());
        fields.put("reason", deployment.reason());
        fields.put("message", message);
        events.publish(type, deployment.app(), fields);
    }

    private void publishDeployment(String type, String app, int release, String progress, String message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("release", release);
        fields.put("progress", progress);
        fields.put("message", message);
        events.publish(type, app, fields);
    }
}
