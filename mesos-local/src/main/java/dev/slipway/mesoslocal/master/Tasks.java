package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.agent.AgentLink;
import dev.slipway.mesoslocal.allocator.Allocator;
import dev.slipway.mesoslocal.resources.Resources;
import dev.slipway.mesoslocal.task.StatusUpdate;
import dev.slipway.mesoslocal.task.TaskStates;
import dev.slipway.mesoslocal.task.TaskStatuses;
import dev.slipway.mesoslocal.task.Uuids;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of task lifecycles: launching validated tasks on the agent, taking the
 * agent's status updates to the scheduler, acknowledgements, kills, and executor exits.
 */
final class Tasks {
    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

    private final Map<String, AgentLink> agents;
    private final Allocator allocator;
    private final Clock clock;
    private final Reconciliation reconciliation;

    /** {@code agents} by id: the master's live map. */
    Tasks(Map<String, AgentLink> agents, Allocator allocator, Clock clock) {
        this.agents = agents;
        this.allocator = allocator;
        this.clock = clock;
        this.reconciliation = new Reconciliation(agents::containsKey, clock);
    }

    /**
     * Carries out the operations of an ACCEPT on valid offers of one agent; returns what the
     * offers have left.
     */
    Resources launch(Framework framework, AgentLink agent, Resources offered, List<Offer.Operation> operations) {
        Resources remaining = offered;
        for (Offer.Operation operation : operations) {
            switch (operation.getType()) {
                case LAUNCH -> {
                    for (TaskInfo task : operation.getLaunch().getTaskInfosList()) {
                        remaining = launch(framework, agent, task, remaining);
                    }
                }
                case LAUNCH_GROUP -> {
                    for (TaskInfo task : operation.getLaunchGroup().getTaskGroup().getTasksList()) {
                        reject(framework, task, TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_GROUP_INVALID,
                                "mesos-local does not support LAUNCH_GROUP (it has no default executor)");
                    }
                }
                default -> LOG.warn("Ignoring {} operation of framework {}: mesos-local only launches tasks",
                        operation.getType(), framework);
            }
        }
        return remaining;
    }

    /** Every task of an ACCEPT on invalid offers is dropped (lost, for frameworks not partition-aware). */
    void dropLaunches(Framework framework, List<Offer.Operation> operations, String message) {
        TaskState state = framework.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
        for (Offer.Operation operation : operations) {
            List<TaskInfo> tasks = switch (operation.getType()) {
                case LAUNCH -> operation.getLaunch().getTaskInfosList();
                case LAUNCH_GROUP -> operation.getLaunchGroup().getTaskGroup().getTasksList();
                default -> List.of();
            };
            for (TaskInfo task : tasks) {
                reject(framework, task, state, TaskStatus.Reason.REASON_INVALID_OFFERS, message);
            }
        }
    }

    private Resources launch(Framework framework, AgentLink agent, TaskInfo requested, Resources remaining) {
        TaskInfo task = prepare(framework, requested);
        String error = LaunchValidator.validate(task, framework, agent.id(), remaining, framework.role());
        if (error != null) {
            LOG.warn("Task {} of framework {} is invalid: {}", task.getTaskId().getValue(), framework, error);
            reject(framework, task, TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID, error);
            return remaining;
        }
        if (!task.hasExecutor()) {
            reject(framework, task, TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID,
                    "mesos-local runs tasks through a custom executor only: set TaskInfo.executor (it has no"
                            + " command executor)");
            return remaining;
        }
        Resources taskResources = Resources.of(task.getResourcesList());
        Resources used = taskResources;
        ExecutorInfo executor = task.getExecutor();
        String executorId = executor.getExecutorId().getValue();
        Map<String, ExecutorInfo> executors = framework.executorsOn(agent.id());
        if (!executors.containsKey(executorId)) {
            executors.put(executorId, executor);
            used = used.plus(Resources.of(executor.getResourcesList()));
        }
        framework.tasks.put(task.getTaskId().getValue(), new MasterTask(task, framework.id, taskResources));
        LOG.info("Launching task {} ({}) of framework {} with resources {} on agent {}", task.getTaskId().getValue(),
                task.getName(), framework, taskResources, agent.id());
        agent.runTask(framework.info, task);
        return remaining.minus(used);
    }

    /**
     * What the master does to a LAUNCH before validating it: fill in the executor's framework id,
     * and give the resources of a framework that is not MULTI_ROLE its allocation role.
     */
    private static TaskInfo prepare(Framework framework, TaskInfo task) {
        TaskInfo.Builder builder = task.toBuilder();
        if (builder.hasExecutor() && !builder.getExecutor().hasFrameworkId()) {
            builder.getExecutorBuilder().setFrameworkId(FrameworkID.newBuilder().setValue(framework.id));
        }
        if (!framework.multiRole()) {
            Resource.AllocationInfo role = Resource.AllocationInfo.newBuilder().setRole(framework.role()).build();
            builder.getResourcesBuilderList().forEach(r -> r.setAllocationInfo(role));
            if (builder.hasExecutor()) {
                builder.getExecutorBuilder().getResourcesBuilderList().forEach(r -> r.setAllocationInfo(role));
            }
        }
        return builder.build();
    }

    /** A task known from the agent's checkpoint; a live one holds its resources again. */
    void recover(Framework framework, TaskInfo task, TaskState state, TaskStatus latest) {
        MasterTask recovered = new MasterTask(task, framework.id, Resources.of(task.getResourcesList()));
        if (latest != null) {
            recovered.update(latest, state);
        } else {
            recovered.state = state;
        }
        framework.tasks.put(recovered.id(), recovered);
        if (TaskStates.isTerminal(state)) {
            recovered.resourcesRecovered = true;
        } else {
            allocator.allocate(framework.id, recovered.agentId(), recovered.resources);
        }
        LOG.info("Recovered task {} ({}) of framework {} in state {}", recovered.id(), task.getName(), framework,
                state);
    }

    void statusUpdate(Framework framework, StatusUpdate update) {
        MasterTask task = framework.tasks.get(update.taskId());
        if (task == null) {
            LOG.warn("Could not lookup task {} of framework {} for status update {}", update.taskId(), framework,
                    update.status().getState());
            return;
        }
        task.update(update.status(), update.latestState());
        if (TaskStates.isTerminal(task.state) && !task.resourcesRecovered) {
            task.resourcesRecovered = true;
            allocator.recover(framework.id, task.agentId(), task.resources, 0);
        }
        LOG.info("Status update {} ({}) for task {} of framework {}", update.status().getState(),
                update.status().hasUuid() ? Uuids.toString(update.status().getUuid()) : "no uuid", task.id(),
                framework);
        framework.send(Event.newBuilder().setType(Event.Type.UPDATE)
                .setUpdate(Event.Update.newBuilder().setStatus(update.status())).build());
    }

    void acknowledge(Framework framework, Call.Acknowledge acknowledge) {
        String taskId = acknowledge.getTaskId().getValue();
        AgentLink agent = agents.get(acknowledge.getAgentId().getValue());
        if (agent == null) {
            LOG.warn("Cannot send status update acknowledgement for task {} of framework {} to agent {}: agent is"
                    + " not registered", taskId, framework, acknowledge.getAgentId().getValue());
            return;
        }
        MasterTask task = framework.tasks.get(taskId);
        if (task != null && acknowledge.getUuid().equals(task.statusUpdateUuid)
                && TaskStates.isTerminal(task.statusUpdateState) && TaskStates.isTerminal(task.state)) {
            framework.complete(task);
        }
        agent.acknowledge(framework.id, acknowledge.getTaskId(), acknowledge.getUuid());
    }

    void kill(Framework framework, Call.Kill kill) {
        MasterTask task = framework.tasks.get(kill.getTaskId().getValue());
        if (task == null) {
            LOG.warn("Cannot kill task {} of framework {} because it is unknown; performing reconciliation",
                    kill.getTaskId().getValue(), framework);
            Call.Reconcile.Task.Builder asked = Call.Reconcile.Task.newBuilder().setTaskId(kill.getTaskId());
            if (kill.hasAgentId()) {
                asked.setAgentId(kill.getAgentId());
            }
            reconcile(framework, Call.Reconcile.newBuilder().addTasks(asked).build());
            return;
        }
        AgentLink agent = agents.get(task.agentId());
        LOG.info("Telling agent {} to kill task {} of framework {}", agent.id(), task.id(), framework);
        agent.killTask(framework.id, kill.getTaskId(), kill.hasKillPolicy() ? kill.getKillPolicy() : null);
    }

    void reconcile(Framework framework, Call.Reconcile reconcile) {
        for (TaskStatus status : reconciliation.answer(framework, reconcile)) {
            framework.send(Event.newBuilder().setType(Event.Type.UPDATE)
                    .setUpdate(Event.Update.newBuilder().setStatus(status)).build());
        }
    }

    void exitedExecutor(Framework framework, String agentId, String executorId, int status) {
        ExecutorInfo executor = framework.executorsOn(agentId).remove(executorId);
        if (executor != null) {
            allocator.recover(framework.id, agentId, Resources.of(executor.getResourcesList()), 0);
        }
        LOG.info("Executor '{}' of framework {} on agent {} exited with status {}", executorId, framework, agentId,
                status);
        framework.send(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(Event.Failure.newBuilder()
                .setAgentId(AgentID.newBuilder().setValue(agentId))
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
                .setStatus(status)).build());
    }

    /** The framework is being removed: its tasks end as killed in the master's books. */
    void removeAll(Framework framework) {
        for (MasterTask task : List.copyOf(framework.tasks.values())) {
            if (!TaskStates.isTerminal(task.state)) {
                task.state = TaskState.TASK_KILLED;
            }
            framework.complete(task);
        }
        framework.executors.clear();
    }

    private void reject(Framework framework, TaskInfo task, TaskState state, TaskStatus.Reason reason,
            String message) {
        TaskStatus status = TaskStatuses.of(task.getTaskId(), state, TaskStatus.Source.SOURCE_MASTER, message, reason,
                clock).setAgentId(task.getAgentId()).build();
        LOG.info("Task {} of framework {} is {} ({})", task.getTaskId().getValue(), framework, state, reason);
        framework.send(Event.newBuilder().setType(Event.Type.UPDATE)
                .setUpdate(Event.Update.newBuilder().setStatus(status)).build());
    }
}
