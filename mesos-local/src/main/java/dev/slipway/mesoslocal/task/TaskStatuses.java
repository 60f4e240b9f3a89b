package dev.slipway.mesoslocal.task;

import java.time.Clock;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** Builds task statuses the way Mesos's {@code protobuf::createStatusUpdate} fills them. */
public final class TaskStatuses {
    private TaskStatuses() {
    }

    /** A status with its timestamp; callers add agent, executor and uuid as the case needs. */
    public static TaskStatus.Builder of(TaskID taskId, TaskState state, TaskStatus.Source source, String message,
            TaskStatus.Reason reason, Clock clock) {
        TaskStatus.Builder builder = TaskStatus.newBuilder()
                .setTaskId(taskId)
                .setState(state)
                .setSource(source)
                .setTimestamp(clock.millis() / 1000.0);
        if (message != null) {
            builder.setMessage(message);
        }
        if (reason != null) {
            builder.setReason(reason);
        }
        return builder;
    }
}
