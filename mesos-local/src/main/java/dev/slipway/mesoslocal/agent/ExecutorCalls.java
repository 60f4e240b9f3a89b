package dev.slipway.mesoslocal.agent;

import dev.slipway.mesoslocal.task.Uuids;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;

/** Mesos's {@code validateExecutorCall}: null when the call is well formed, else why not. */
final class ExecutorCalls {
    private ExecutorCalls() {
    }

    static String validate(Call call) {
        if (!call.hasType()) {
            return "Expecting 'type' to be present";
        }
        switch (call.getType()) {
            case SUBSCRIBE -> {
                return call.hasSubscribe() ? null : "Expecting 'subscribe' to be present";
            }
            case UPDATE -> {
                return validateUpdate(call);
            }
            case MESSAGE -> {
                return call.hasMessage() ? null : "Expecting 'message' to be present";
            }
            default -> {
                return null;
            }
        }
    }

    private static String validateUpdate(Call call) {
        if (!call.hasUpdate()) {
            return "Expecting 'update' to be present";
        }
        TaskStatus status = call.getUpdate().getStatus();
        if (!status.hasUuid()) {
            return "Expecting 'uuid' to be present";
        }
        String uuidError = Uuids.validate(status.getUuid());
        if (uuidError != null) {
            return uuidError;
        }
        String executorId = call.getExecutorId().getValue();
        if (status.hasExecutorId() && !status.getExecutorId().getValue().equals(executorId)) {
            return "ExecutorID in Call: " + executorId + " does not match ExecutorID in TaskStatus: "
                    + status.getExecutorId().getValue();
        }
        String origin = executorId + " of framework " + call.getFrameworkId().getValue();
        if (status.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
            return "Received Call from executor " + origin + " with invalid source, expecting 'SOURCE_EXECUTOR'";
        }
        if (status.getState() == TaskState.TASK_STAGING) {
            return "Received TASK_STAGING from executor " + origin + " which is not allowed";
        }
        return null;
    }
}
