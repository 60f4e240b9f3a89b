package dev.slipway.mesoslocal.master;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** A task as the master tracks it: latest state, and the state of the update the scheduler is being sent. */
final class MasterTask {
    private static final int MAX_STATUSES = 20;

    final TaskInfo info;
    final String frameworkId;
    final Resources resources;
    TaskState state = TaskState.TASK_STAGING;
    /** State and uuid of the update in flight to the scheduler; null before the first. */
    TaskState statusUpdateState;
    ByteString statusUpdateUuid;
    final List<TaskStatus> statuses = new ArrayList<>();
    boolean resourcesRecovered;

    MasterTask(TaskInfo info, String frameworkId, Resources resources) {
        this.info = info;
        this.frameworkId = frameworkId;
        this.resources = resources;
    }

    String id() {
        return info.getTaskId().getValue();
    }

    String agentId() {
        return info.getAgentId().getValue();
    }

    String executorId() {
        return info.hasExecutor() ? info.getExecutor().getExecutorId().getValue() : "";
    }

    void update(TaskStatus status, TaskState latestState) {
        state = latestState;
        statusUpdateState = status.getState();
        statusUpdateUuid = status.hasUuid() ? status.getUuid() : null;
        statuses.add(status);
        if (statuses.size() > MAX_STATUSES) {
            statuses.remove(0);
        }
    }

    /** The state reconciliation reports: the update in flight if any, so the scheduler sees states in order. */
    TaskState reportedState() {
        return statusUpdateState != null ? statusUpdateState : state;
    }

    TaskStatus lastStatusWith(java.util.function.Predicate<TaskStatus> field) {
        for (int i = statuses.size() - 1; i >= 0; i--) {
            if (field.test(statuses.get(i))) {
                return statuses.get(i);
            }
        }
        return null;
    }
}
