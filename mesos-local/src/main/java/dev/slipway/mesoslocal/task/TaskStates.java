package dev.slipway.mesoslocal.task;

import org.apache.mesos.v1.Protos.TaskState;

/** Facts about Mesos task states. */
public final class TaskStates {
    private TaskStates() {
    }

    /** Mesos's {@code protobuf::isTerminalState}: no update can follow these. */
    public static boolean isTerminal(TaskState state) {
        return switch (state) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_LOST, TASK_ERROR, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }
}
