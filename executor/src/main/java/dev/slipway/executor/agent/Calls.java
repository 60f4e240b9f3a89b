package dev.slipway.executor.agent;

import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;

/** The executor's calls to its agent (include/mesos/v1/executor/executor.proto). */
public final class Calls {
    private final FrameworkID frameworkId;
    private final ExecutorID executorId;

    public Calls(String frameworkId, String executorId) {
        this.frameworkId = FrameworkID.newBuilder().setValue(frameworkId).build();
        this.executorId = ExecutorID.newBuilder().setValue(executorId).build();
    }

    public ExecutorID executorId() {
        return executorId;
    }

    public FrameworkID frameworkId() {
        return frameworkId;
    }

    /** SUBSCRIBE, with what the agent may not have seen acknowledged yet (empty at first). */
    public Call subscribe(List<TaskInfo> unacknowledgedTasks, List<Call.Update> unacknowledgedUpdates) {
        return base(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder()
                        .addAllUnacknowledgedTasks(unacknowledgedTasks)
                        .addAllUnacknowledgedUpdates(unacknowledgedUpdates))
                .build();
    }

    public Call update(Call.Update update) {
        return base(Call.Type.UPDATE).setUpdate(update).build();
    }

    /** MESSAGE: bytes for the scheduler, delivered at most once. */
    public Call message(byte[] data) {
        return base(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setData(ByteString.copyFrom(data))).build();
    }

    private Call.Builder base(Call.Type type) {
        return Call.newBuilder().setType(type).setFrameworkId(frameworkId).setExecutorId(executorId);
    }
}
