package dev.slipway.mesoslocal.agent;

import dev.slipway.mesoslocal.http.EventStream;
import dev.slipway.mesoslocal.task.TaskStates;
import dev.slipway.mesoslocal.task.TaskStatuses;
import dev.slipway.mesoslocal.task.Uuids;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of its executors' sessions: their subscriptions, updates and messages, task
 * launches over their streams, and the task updates the agent generates itself, as when an
 * executor exits. Part of {@link Agent}, sharing its frameworks; every method runs on the core
 * context.
 */
final class ExecutorSessions {
    // Logs under the agent's name, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentInfo info;
    private final String ip;
    private final Clock clock;
    private final MasterLink master;
    private final Map<String, AgentFramework> frameworks;
    private final StatusUpdateStreams updates;
    private final ExecutorSupervisor supervisor;
    private final Runnable checkpoint;

    ExecutorSessions(AgentInfo info, String ip, Clock clock, MasterLink master, Map<String, AgentFramework> frameworks,
            StatusUpdateStreams updates, ExecutorSupervisor supervisor, Runnable checkpoint) {
        this.info = info;
        this.ip = ip;
        this.clock = clock;
        this.master = master;
        this.frameworks = frameworks;
        this.updates = updates;
        this.supervisor = supervisor;
        this.checkpoint = checkpoint;
    }

    Executor executor(String frameworkId, String executorId) {
        AgentFramework framework = frameworks.get(frameworkId);
        return framework == null ? null : framework.executors.get(executorId);
    }

    /**
     * SUBSCRIBE from an executor, first or again: the stream replaces any earlier one, the
     * updates the executor has not seen acknowledged are taken again (duplicates are dropped by
     * uuid), tasks it reports as received count as delivered, and queued tasks are launched.
     */
    void subscribe(Executor executor, EventStream stream, Call.Subscribe subscribe) {
        AgentFramework framework = frameworks.get(executor.frameworkId);
        if (executor.state == Executor.State.TERMINATING || executor.state == Executor.State.TERMINATED) {
            LOG.warn("Shutting down executor {}: it subscribed while terminating", executor);
            stream.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
            stream.close();
            return;
        }
        if (executor.stream != null) {
            executor.stream.close();
        }
        executor.stream = stream;
        stream.onDisconnect(() -> {
            if (executor.stream == stream) {
                executor.stream = null;
                LOG.info("Executor {} disconnected", executor);
            }
        });
        boolean first = executor.state == Executor.State.REGISTERING && !executor.recovered;
        executor.recovered = false;
        executor.state = Executor.State.RUNNING;
        supervisor.registered(executor);
        LOG.info("Executor {} subscribed", executor);
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setExecutorInfo(executor.info)
                .setFrameworkInfo(framework.info)
                .setAgentInfo(info)
                .setContainerId(ContainerID.newBuilder().setValue(executor.containerId))).build());
        supervisor.heartbeat(stream);
        if (first && executor.queuedTasks.isEmpty() && executor.launchedTasks.isEmpty()) {
            // MESOS-8411: an executor whose initial tasks were all killed is shut down.
            LOG.warn("Shutting down executor {} because it has no tasks to run", executor);
            supervisor.shutdown(executor);
            return;
        }
        for (TaskInfo task : subscribe.getUnacknowledgedTasksList()) {
            if (executor.queuedTasks.remove(task.getTaskId().getValue()) != null) {
                executor.launchedTasks.putIfAbsent(task.getTaskId().getValue(), TaskState.TASK_STAGING);
            }
        }
        for (Call.Update update : subscribe.getUnacknowledgedUpdatesList()) {
            update(executor, update.getStatus());
        }
        for (TaskInfo task : List.copyOf(executor.queuedTasks.values())) {
            executor.queuedTasks.remove(task.getTaskId().getValue());
            launch(executor, task);
        }
        checkpoint.run();
    }

    void update(Executor executor, TaskStatus status) {
        AgentFramework framework = frameworks.get(executor.frameworkId);
        if (framework == null || framework.terminating) {
            LOG.warn("Ignoring status update {} for task {} of terminating framework {}", status.getState(),
                    status.getTaskId().getValue(), executor.frameworkId);
            return;
        }
        TaskStatus.Builder builder = status.toBuilder()
                .setAgentId(AgentID.newBuilder().setValue(agentId()))
                .setExecutorId(ExecutorID.newBuilder().setValue(executor.id()));
        if (!status.hasTimestamp()) {
            builder.setTimestamp(clock.millis() / 1000.0);
        }
        if (status.getState() == TaskState.TASK_RUNNING && !status.hasContainerStatus()) {
            builder.setContainerStatus(executor.containerStatus(ip));
        }
        String taskId = status.getTaskId().getValue();
        if (executor.launchedTasks.containsKey(taskId) && !updates.terminalReceived(executor.frameworkId, taskId)) {
            executor.launchedTasks.put(taskId, status.getState());
        }
        TaskStatus taken = builder.build();
        if (updates.update(executor.frameworkId, taken)) {
            executor.latestStatuses.put(taskId, taken);
            checkpoint.run();
            LOG.info("Status update {} ({}) for task {} of framework {} from executor '{}'", status.getState(),
                    Uuids.toString(status.getUuid()), taskId, executor.frameworkId, executor.id());
        }
        // Mesos acknowledges the executor once the agent has taken the update (duplicates too).
        send(executor, Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(
                Event.Acknowledged.newBuilder().setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
    }

    void message(Executor executor, Call.Message message) {
        master.executorMessage(agentId(), executor.frameworkId, executor.id(), message.getData());
    }

    void launch(Executor executor, TaskInfo task) {
        LOG.info("Launching task {} of framework {} on executor '{}'", task.getTaskId().getValue(),
                executor.frameworkId, executor.id());
        executor.launchedTasks.put(task.getTaskId().getValue(), TaskState.TASK_STAGING);
        send(executor, Event.newBuilder().setType(Event.Type.LAUNCH)
                .setLaunch(Event.Launch.newBuilder().setTask(task)).build());
    }

    void terminated(Executor executor, int status) {
        AgentFramework framework = frameworks.get(executor.frameworkId);
        if (framework == null || framework.executors.get(executor.id()) != executor) {
            return;
        }
        if (executor.stream != null) {
            executor.stream.close();
            executor.stream = null;
        }
        if (!framework.terminating) {
            Executor.Termination cause = executor.termination != null
                    ? executor.termination
                    : new Executor.Termination(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
                            "Executor terminated");
            for (Map.Entry<String, TaskState> task : List.copyOf(executor.launchedTasks.entrySet())) {
                if (!TaskStates.isTerminal(task.getValue())
                        && !updates.terminalReceived(executor.frameworkId, task.getKey())) {
                    agentUpdate(executor, TaskID.newBuilder().setValue(task.getKey()).build(), cause.state(),
                            cause.reason(), cause.message());
                }
            }
            for (TaskInfo task : List.copyOf(executor.queuedTasks.values())) {
                agentUpdate(executor, task.getTaskId(), cause.state(), cause.reason(), cause.message());
            }
        }
        executor.queuedTasks.clear();
        framework.executors.remove(executor.id());
        master.exitedExecutor(agentId(), executor.frameworkId, executor.id(), status);
        if (framework.terminating && framework.executors.isEmpty()) {
            frameworks.remove(framework.id());
        }
        checkpoint.run();
    }

    /** An update the agent itself generates (source AGENT, with a uuid: it must be acknowledged). */
    void agentUpdate(Executor executor, TaskID taskId, TaskState state, TaskStatus.Reason reason,
            String message) {
        TaskStatus status = TaskStatuses.of(taskId, state, TaskStatus.Source.SOURCE_AGENT, message, reason, clock)
                .setAgentId(AgentID.newBuilder().setValue(agentId()))
                .setExecutorId(ExecutorID.newBuilder().setValue(executor.id()))
                .setUuid(Uuids.random())
                .build();
        if (executor.launchedTasks.containsKey(taskId.getValue())) {
            executor.launchedTasks.put(taskId.getValue(), state);
        }
        LOG.info("Task {} of framework {} is {} ({}): {}", taskId.getValue(), executor.frameworkId, state, reason,
                message);
        if (updates.update(executor.frameworkId, status)) {
            executor.latestStatuses.put(taskId.getValue(), status);
        }
        checkpoint.run();
    }

    static void send(Executor executor, Event event) {
        if (executor.stream != null) {
            executor.stream.send(event);
        }
    }

    private String agentId() {
        return info.getId().getValue();
    }
}
