package dev.slipway.mesoslocal.task;

import java.util.Objects;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A task status on its way from the agent to the master, with the latest state the agent knows
 * for the task (which can be ahead of {@code status}, as the agent sends one update at a time).
 */
public record StatusUpdate(String frameworkId, TaskStatus status, TaskState latestState) {
    public StatusUpdate {
        Objects.requireNonNull(frameworkId, "frameworkId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(latestState, "latestState");
    }

    public String taskId() {
        return status.getTaskId().getValue();
    }
}
