package dev.slipway.mesoslocal.agent;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.task.TaskStates;
import dev.slipway.mesoslocal.task.TaskStatuses;
import dev.slipway.mesoslocal.task.Uuids;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.URL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent with no process behind it: its tasks run through a no-op runner that reports them
 * TASK_STARTING then TASK_RUNNING as their executor would (source SOURCE_EXECUTOR, with a uuid),
 * and a kill reports TASK_KILLING (to frameworks with TASK_KILLING_STATE) then TASK_KILLED.
 * Updates go through the agent's status update streams, so they wait for the scheduler's
 * acknowledgement and are resent exactly as real ones. An executor ends, and its resources are
 * freed, when its last task has ended. Every method runs on the core context.
 */
public final class SimulatedAgent implements AgentLink {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedAgent.class);

    private final AgentInfo info;
    private final URL url;
    private final Clock clock;
    private final MasterLink master;
    private final StatusUpdateStreams updates;
    /** Per framework: live tasks by task id, with the executor each runs under. */
    private final Map<String, Map<String, TaskInfo>> tasks = new HashMap<>();
    private final Map<String, FrameworkInfo> frameworks = new HashMap<>();

    public SimulatedAgent(Vertx vertx, AgentInfo info, URL url, Clock clock, MasterLink master,
            AgentSettings settings) {
        this.info = info;
        this.url = url;
        this.clock = clock;
        this.master = master;
        this.updates = new StatusUpdateStreams(vertx, master, settings.statusUpdateRetryMin(),
                settings.statusUpdateRetryMax());
    }

    @Override
    public AgentInfo info() {
        return info;
    }

    @Override
    public URL url() {
        return url;
    }

    @Override
    public void runTask(FrameworkInfo frameworkInfo, TaskInfo task) {
        String frameworkId = frameworkInfo.getId().getValue();
        frameworks.put(frameworkId, frameworkInfo);
        tasks.computeIfAbsent(frameworkId, id -> new LinkedHashMap<>()).put(task.getTaskId().getValue(), task);
        LOG.info("Running task {} of framework {} on simulated agent {}", task.getTaskId().getValue(), frameworkId,
                id());
        update(frameworkId, task, TaskState.TASK_STARTING, null, null);
        update(frameworkId, task, TaskState.TASK_RUNNING, null, null);
    }

    @Override
    public void killTask(String frameworkId, TaskID taskId, KillPolicy killPolicy) {
        TaskInfo task = tasks.getOrDefault(frameworkId, Map.of()).get(taskId.getValue());
        if (task == null) {
            LOG.warn("Ignoring kill of task {} of framework {}: simulated agent {} does not run it",
                    taskId.getValue(), frameworkId, id());
            return;
        }
        if (killingState(frameworks.get(frameworkId))) {
            update(frameworkId, task, TaskState.TASK_KILLING, null, null);
        }
        end(frameworkId, task, TaskState.TASK_KILLED, null, null);
    }

    @Override
    public void shutdownExecutor(String frameworkId, String executorId) {
        for (TaskInfo task : List.copyOf(tasks.getOrDefault(frameworkId, Map.of()).values())) {
            if (executorId(task).equals(executorId)) {
                end(frameworkId, task, TaskState.TASK_KILLED, null, "Executor shut down");
            }
        }
    }

    @Override
    public void shutdownFramework(String frameworkId) {
        updates.cleanup(frameworkId);
        tasks.remove(frameworkId);
        frameworks.remove(frameworkId);
    }

    @Override
    public void updateFramework(FrameworkInfo frameworkInfo) {
        String frameworkId = frameworkInfo.getId().getValue();
        if (frameworks.containsKey(frameworkId)) {
            frameworks.put(frameworkId, frameworkInfo);
        }
        updates.resume(frameworkId);
    }

    @Override
    public void acknowledge(String frameworkId, TaskID taskId, ByteString uuid) {
        String error = updates.acknowledge(frameworkId, taskId.getValue(), uuid);
        if (error != null) {
            LOG.warn("Ignoring status update acknowledgement: {}", error);
        }
    }

    @Override
    public void frameworkMessage(String frameworkId, String executorId, ByteString data) {
        LOG.debug("Dropping message for executor '{}' of framework {}: simulated agent {} runs no executor",
                executorId, frameworkId, id());
    }

    /** Stops resending updates; for shutting down. */
    public void stop() {
        updates.stop();
    }

    private void end(String frameworkId, TaskInfo task, TaskState state, TaskStatus.Reason reason, String message) {
        Map<String, TaskInfo> live = tasks.get(frameworkId);
        live.remove(task.getTaskId().getValue());
        update(frameworkId, task, state, reason, message);
        String executorId = executorId(task);
        if (live.values().stream().noneMatch(t -> executorId(t).equals(executorId))) {
            master.exitedExecutor(id(), frameworkId, executorId, 0);
        }
    }

    private void update(String frameworkId, TaskInfo task, TaskState state, TaskStatus.Reason reason,
            String message) {
        TaskStatus status = TaskStatuses.of(task.getTaskId(), state, TaskStatus.Source.SOURCE_EXECUTOR, message,
                        reason, clock)
                .setAgentId(AgentID.newBuilder().setValue(id()))
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId(task)))
                .setUuid(Uuids.random())
                .build();
        if (updates.update(frameworkId, status) && TaskStates.isTerminal(state)) {
            LOG.info("Task {} of framework {} on simulated agent {} is {}", task.getTaskId().getValue(), frameworkId,
                    id(), state);
        }
    }

    private static String executorId(TaskInfo task) {
        return task.getExecutor().getExecutorId().getValue();
    }

    private static boolean killingState(FrameworkInfo info) {
        return info != null && info.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    }
}
