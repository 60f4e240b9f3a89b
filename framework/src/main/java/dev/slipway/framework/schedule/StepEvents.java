package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.AppState;
import dev.slipway.framework.events.EventSink;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.zk.App;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Release;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tells the event stream what each stored step changed: instances' states and health, and how far
 * each touched app's deployment has come (its newest release's instances ready against its
 * formation: {@code 2/3 web up}), once it is done, or that an instance of it failed. Runs on the
 * scheduler thread only, after the step's write is stored; it keeps, per app, the last progress
 * it told, so that it tells only changes.
 */
final class StepEvents {
    private final EventSink events;
    private final Map<String, Progress> told = new HashMap<>();

    StepEvents(EventSink events) {
        this.events = events;
    }

    /** What an app's deployment was last told to be. */
    private record Progress(int release, String summary, boolean succeeded, boolean failed) {
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
        Set<String> touched = new TreeSet<>();
        Map<String, Instance> failed = new HashMap<>();
        new TreeMap<>(step.puts()).values().forEach(after -> {
            Instance was = before.get(after.taskId());
            touched.add(after.app());
            if (was == null || was.state() != after.state()) {
                events.publish(EventTypes.INSTANCE_STATE, after.app(), instanceFields(after, Map.of(
                        "previous_state", was == null ? "" : was.state().name()),
                        after.name() + " (v" + after.release() + ") " + (was == null ? "" : was.state() + " -> ")
                                + after.state() + (was == null || after.message().isEmpty()
                                || after.message().equals(was.message()) ? "" : ": " + after.message())));
                if (after.state() == InstanceState.FAILED || after.state() == InstanceState.ERROR) {
                    failed.putIfAbsent(after.app(), after);
                }
            }
            if (was != null && was.healthy() != after.healthy()) {
                events.publish(EventTypes.INSTANCE_HEALTH, after.app(), instanceFields(after, Map.of(),
                        after.name() + " (v" + after.release() + ") " + (after.healthy() ? "healthy" : "unhealthy")));
            }
        });
        step.deletes().forEach(id -> {
            Instance was = before.get(id);
            if (was != null) {
                touched.add(was.app());
            }
        });
        step.appsChanged().forEach(read -> touched.add(read.app().name()));
        step.appsDeleted().forEach(app -> {
            told.remove(app);
            touched.remove(app);
            events.publish(EventTypes.APP_DESTROYED, app, Map.of("message", "app " + app + " destroyed"));
        });
        touched.forEach(app -> deployment(app, model, failed.get(app)));
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

    /** Tells the app's deployment's progress when it changed, and its end. */
    private void deployment(String name, Model model, Instance failedInstance) {
        App app = model.app(name);
        Release release = model.release(name);
        if (app == null || release == null) {
            told.remove(name);
            return;
        }
        AppState state = new AppState(app, release);
        Map<String, int[]> counts = new TreeMap<>();
        release.processTypes().keySet().forEach(type -> {
            if (state.wanted(type) > 0) {
                counts.put(type, new int[] {0, state.wanted(type)});
            }
        });
        int old = 0;
        for (Instance instance : model.instancesOf(name)) {
            if (instance.state().gone()) {
                continue;
            }
            int[] count = counts.get(instance.process());
            if (instance.release() != release.version() || count == null || instance.index() > count[1]) {
                old++;
            } else if (ready(instance)) {
                count[0]++;
            }
        }
        StringBuilder summary = new StringBuilder();
        boolean done = old == 0;
        for (Map.Entry<String, int[]> count : counts.entrySet()) {
            int up = Math.min(count.getValue()[0], count.getValue()[1]);
            done &= up == count.getValue()[1];
            summary.append(summary.length() == 0 ? "" : ", ").append(up).append('/').append(count.getValue()[1])
                    .append(' ').append(count.getKey()).append(" up");
        }
        if (counts.isEmpty()) {
            summary.append("no instances wanted");
        }
        if (old > 0) {
            summary.append(", ").append(old).append(" instance").append(old == 1 ? "" : "s")
                    .append(" of other releases or beyond the formation to stop");
        }
        Progress last = told.get(name);
        boolean sameDeployment = last != null && last.release() == release.version();
        if (last == null && done) {
            // First seen (this term) already complete: nothing is being deployed.
            told.put(name, new Progress(release.version(), summary.toString(), true, false));
            return;
        }
        boolean succeeded = sameDeployment && last.succeeded();
        boolean failedBefore = sameDeployment && last.failed();
        if (!sameDeployment || !last.summary().equals(summary.toString())) {
            if (!done || !sameDeployment) {
                publishDeployment(EventTypes.DEPLOYMENT_PROGRESS, name, release.version(), summary.toString(),
                        "v" + release.version() + ": " + summary);
            }
            succeeded = succeeded && done;
        }
        boolean failed = failedBefore;
        if (failedInstance != null && failedInstance.release() == release.version() && !failed && !done) {
            failed = true;
            publishDeployment(EventTypes.DEPLOYMENT_FAILED, name, release.version(), summary.toString(),
                    "v" + release.version() + " failed: " + failedInstance.name() + " " + failedInstance.state()
                            + (failedInstance.message().isEmpty() ? "" : " (" + failedInstance.message() + ")")
                            + "; retrying");
        }
        if (done && !succeeded) {
            succeeded = true;
            failed = false;
            publishDeployment(EventTypes.DEPLOYMENT_SUCCEEDED, name, release.version(), summary.toString(),
                    "v" + release.version() + " deployed: " + summary);
        }
        told.put(name, new Progress(release.version(), summary.toString(), succeeded, failed));
    }

    private void publishDeployment(String type, String app, int release, String progress, String message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("release", release);
        fields.put("progress", progress);
        fields.put("message", message);
        events.publish(type, app, fields);
    }

    /** Ready to serve: running, and for web also healthy (as the planner has it). */
    private static boolean ready(Instance instance) {
        return instance.state() == InstanceState.RUNNING && (instance.healthy() || !"web".equals(instance.process()));
    }
}
