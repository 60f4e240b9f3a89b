package dev.slipway.executor.agent;

import com.google.protobuf.ByteString;
import dev.slipway.executor.task.Effect.Cause;
import dev.slipway.executor.task.Effect.Report;
import dev.slipway.executor.task.Effect.Status;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * Status updates sent and not yet acknowledged by the agent: each gets a fresh 16-byte UUID and is
 * kept, in the order sent, until the ACKNOWLEDGED event with its UUID arrives. Not thread-safe: the
 * executor's own thread owns it.
 */
public final class StatusUpdates {
    private final ExecutorID executorId;
    private final Clock clock;
    private final Map<ByteString, Call.Update> unacknowledged = new LinkedHashMap<>();

    public StatusUpdates(ExecutorID executorId, Clock clock) {
        this.executorId = executorId;
        this.clock = clock;
    }

    /** A new update for {@code report}, remembered as unacknowledged. */
    public Call.Update record(Report report, AgentID agentId) {
        TaskStatus.Builder status = TaskStatus.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(report.taskId()))
                .setState(state(report))
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setExecutorId(executorId)
                .setTimestamp(clock.millis() / 1000.0)
                .setUuid(uuid());
        if (!report.message().isEmpty()) {
            status.setMessage(report.message());
        }
        if (agentId != null) {
            status.setAgentId(agentId);
        }
        if (report.status() == Status.HEALTHY || report.status() == Status.UNHEALTHY) {
            status.setHealthy(report.status() == Status.HEALTHY);
        }
        if (report.cause() != Cause.NONE) {
            status.setReason(reason(report.cause()));
        }
        Call.Update update = Call.Update.newBuilder().setStatus(status).build();
        unacknowledged.put(update.getStatus().getUuid(), update);
        return update;
    }

    /** Forgets the update with {@code uuid}; whether it was one of ours still waiting. */
    public boolean acknowledge(ByteString uuid) {
        return unacknowledged.remove(uuid) != null;
    }

    public List<Call.Update> unacknowledged() {
        return new ArrayList<>(unacknowledged.values());
    }

    public boolean isEmpty() {
        return unacknowledged.isEmpty();
    }

    static TaskState state(Report report) {
        return switch (report.status()) {
            case STARTING -> TaskState.TASK_STARTING;
            case RUNNING, HEALTHY, UNHEALTHY -> TaskState.TASK_RUNNING;
            case KILLING -> TaskState.TASK_KILLING;
            case FINISHED -> TaskState.TASK_FINISHED;
            case FAILED -> TaskState.TASK_FAILED;
            case KILLED -> TaskState.TASK_KILLED;
        };
    }

    static TaskStatus.Reason reason(Cause cause) {
        return switch (cause) {
            case TASK_INVALID -> TaskStatus.Reason.REASON_TASK_INVALID;
            case LAUNCH_FAILED -> TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED;
            case PROCESS_EXITED -> TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED;
            case HEALTH_CHECK -> TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED;
            case NONE -> throw new IllegalArgumentException("no Mesos reason for " + cause);
        };
    }

    private static ByteString uuid() {
        UUID uuid = UUID.randomUUID();
        return ByteString.copyFrom(ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array());
    }
}
