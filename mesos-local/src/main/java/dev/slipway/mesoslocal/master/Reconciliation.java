package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.task.TaskStatuses;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Mesos 1.11's task reconciliation ({@code Master::_reconcileTasks}). Implicit (no tasks asked):
 * the latest state of every task the master knows for the framework. Explicit: for each task
 * asked, its latest state if known; else TASK_GONE when the agent named is a registered one,
 * TASK_UNKNOWN when no agent or an unknown one is named, both TASK_LOST for frameworks that are not
 * PARTITION_AWARE. Answers come from the master, with no uuid, reason REASON_RECONCILIATION.
 */
final class Reconciliation {
    private static final String LATEST = "Reconciliation: Latest task state";

    private final Predicate<String> knownAgent;
    private final Clock clock;

    Reconciliation(Predicate<String> knownAgent, Clock clock) {
        this.knownAgent = knownAgent;
        this.clock = clock;
    }

    List<TaskStatus> answer(Framework framework, Call.Reconcile reconcile) {
        List<TaskStatus> answers = new ArrayList<>();
        if (reconcile.getTasksCount() == 0) {
            framework.tasks.values().forEach(task -> answers.add(latest(task)));
            return answers;
        }
        for (Call.Reconcile.Task asked : reconcile.getTasksList()) {
            MasterTask task = framework.tasks.get(asked.getTaskId().getValue());
            if (task != null) {
                answers.add(latest(task));
                continue;
            }
            boolean thisAgent = asked.hasAgentId() && knownAgent.test(asked.getAgentId().getValue());
            TaskState state;
            String message;
            if (thisAgent) {
                state = framework.partitionAware() ? TaskState.TASK_GONE : TaskState.TASK_LOST;
                message = "Reconciliation: Task is unknown to the agent";
            } else {
                state = framework.partitionAware() ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST;
                message = "Reconciliation: Task is unknown";
            }
            TaskStatus.Builder status = TaskStatuses.of(asked.getTaskId(), state, TaskStatus.Source.SOURCE_MASTER,
                    message, TaskStatus.Reason.REASON_RECONCILIATION, clock);
            if (asked.hasAgentId()) {
                status.setAgentId(asked.getAgentId());
            }
            answers.add(status.build());
        }
        return answers;
    }

    private TaskStatus latest(MasterTask task) {
        TaskStatus.Builder status = TaskStatuses.of(task.info.getTaskId(), task.reportedState(),
                        TaskStatus.Source.SOURCE_MASTER, LATEST, TaskStatus.Reason.REASON_RECONCILIATION, clock)
                .setAgentId(AgentID.newBuilder().setValue(task.agentId()));
        if (task.info.hasExecutor()) {
            status.setExecutorId(task.info.getExecutor().getExecutorId());
        }
        TaskStatus health = task.lastStatusWith(TaskStatus::hasHealthy);
        if (health != null) {
            status.setHealthy(health.getHealthy());
        }
        TaskStatus check = task.lastStatusWith(TaskStatus::hasCheckStatus);
        if (check != null) {
            status.setCheckStatus(check.getCheckStatus());
        }
        TaskStatus container = task.lastStatusWith(TaskStatus::hasContainerStatus);
        if (container != null) {
            status.setContainerStatus(container.getContainerStatus());
        }
        return status.build();
    }
}
