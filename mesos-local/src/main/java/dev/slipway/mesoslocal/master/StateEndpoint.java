package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.agent.AgentLink;
import dev.slipway.mesoslocal.resources.Resources;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * {@code GET /master/state}: a subset of Mesos's state JSON (frameworks with their tasks, the
 * agents with their resources and attributes), so that an operator or a script can look.
 */
public final class StateEndpoint implements Handler<RoutingContext> {
    private final Master master;
    private final Instant startTime;

    public StateEndpoint(Master master, Instant startTime) {
        this.master = master;
        this.startTime = startTime;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(state().encode());
    }

    JsonObject state() {
        var info = master.info();
        Map<String, Resources> offered = new HashMap<>();
        for (OutstandingOffer offer : master.offers()) {
            offered.merge(offer.agentId(), offer.resources(), Resources::plus);
        }
        JsonArray slaves = new JsonArray();
        for (AgentLink agent : master.agents()) {
            slaves.add(slave(agent, offered.getOrDefault(agent.id(), Resources.EMPTY)));
        }
        return new JsonObject()
                .put("version", info.getVersion())
                .put("id", info.getId())
                .put("pid", info.getPid())
                .put("hostname", info.getHostname())
                .put("start_time", startTime.toEpochMilli() / 1000.0)
                .put("elected_time", startTime.toEpochMilli() / 1000.0)
                .put("leader", info.getPid())
                .put("activated_slaves", slaves.size())
                .put("deactivated_slaves", 0)
                .put("slaves", slaves)
                .put("frameworks", frameworks(master.frameworks()))
                .put("completed_frameworks", frameworks(master.completedFrameworks()));
    }

    private JsonObject slave(AgentLink agent, Resources offered) {
        AgentInfo info = agent.info();
        Resources total = master.allocator().total(agent.id());
        Resources used = total.minus(master.allocator().available(agent.id())).minus(offered);
        JsonObject attributes = new JsonObject();
        for (Attribute attribute : info.getAttributesList()) {
            switch (attribute.getType()) {
                case TEXT -> attributes.put(attribute.getName(), attribute.getText().getValue());
                case SCALAR -> attributes.put(attribute.getName(), attribute.getScalar().getValue());
                default -> attributes.put(attribute.getName(), attribute.toString());
            }
        }
        return new JsonObject()
                .put("id", info.getId().getValue())
                .put("pid", "slave(1)@" + agent.url().getAddress().getIp() + ":" + info.getPort())
                .put("hostname", info.getHostname())
                .put("port", info.getPort())
                .put("resources", json(total))
                .put("used_resources", json(used))
                .put("offered_resources", json(offered))
                .put("unreserved_resources", json(total))
                .put("reserved_resources", new JsonObject())
                .put("attributes", attributes)
                .put("active", true)
                .put("version", master.info().getVersion());
    }

    private JsonArray frameworks(Collection<Framework> frameworks) {
        JsonArray array = new JsonArray();
        for (Framework framework : frameworks) {
            Resources used = Resources.EMPTY;
            JsonArray tasks = new JsonArray();
            for (MasterTask task : framework.tasks.values()) {
                tasks.add(task(task));
                if (!task.resourcesRecovered) {
                    used = used.plus(task.resources);
                }
            }
            JsonArray completed = new JsonArray();
            framework.completedTasks.forEach(task -> completed.add(task(task)));
            JsonArray executors = new JsonArray();
            framework.executors.forEach((agentId, onAgent) -> onAgent.values().forEach(executor -> {
                executors.add(new JsonObject()
                        .put("executor_id", executor.getExecutorId().getValue())
                        .put("name", executor.getName())
                        .put("framework_id", framework.id)
                        .put("slave_id", agentId)
                        .put("resources", json(Resources.of(executor.getResourcesList()))));
            }));
            var info = framework.info;
            Resources offered = master.offeredTo(framework);
            array.add(new JsonObject()
                    .put("id", framework.id)
                    .put("name", info.getName())
                    .put("user", info.getUser())
                    .put("role", framework.role())
                    .put("principal", info.getPrincipal())
                    .put("hostname", info.getHostname())
                    .put("webui_url", info.getWebuiUrl())
                    .put("failover_timeout", info.getFailoverTimeout())
                    .put("checkpoint", info.getCheckpoint())
                    .put("active", framework.connected())
                    .put("connected", framework.connected())
                    .put("registered_time", framework.registeredTime.toEpochMilli() / 1000.0)
                    .put("reregistered_time", framework.reregisteredTime.toEpochMilli() / 1000.0)
                    .put("used_resources", json(used))
                    .put("offered_resources", json(offered))
                    .put("tasks", tasks)
                    .put("completed_tasks", completed)
                    .put("executors", executors)
                    .put("offers", new JsonArray(framework.offerIds.stream().toList())));
        }
        return array;
    }

    private static JsonObject task(MasterTask task) {
        TaskInfo info = task.info;
        JsonArray statuses = new JsonArray();
        for (TaskStatus status : task.statuses) {
            JsonObject json = new JsonObject().put("state", status.getState().name())
                    .put("timestamp", status.getTimestamp());
            if (status.hasHealthy()) {
                json.put("healthy", status.getHealthy());
            }
            statuses.add(json);
        }
        JsonArray labels = new JsonArray();
        for (Label label : info.getLabels().getLabelsList()) {
            labels.add(new JsonObject().put("key", label.getKey()).put("value", label.getValue()));
        }
        return new JsonObject()
                .put("id", task.id())
                .put("name", info.getName())
                .put("framework_id", task.frameworkId)
                .put("executor_id", task.executorId())
                .put("slave_id", info.getAgentId().getValue())
                .put("state", task.state.name())
                .put("resources", json(task.resources))
                .put("statuses", statuses)
                .put("labels", labels);
    }

    private static JsonObject json(Resources resources) {
        return new JsonObject(resources.toStateJson());
    }
}
