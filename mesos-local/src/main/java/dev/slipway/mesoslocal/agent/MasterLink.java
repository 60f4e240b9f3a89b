package dev.slipway.mesoslocal.agent;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.task.StatusUpdate;

/** What an agent tells the master. Called on the shared core context. */
public interface MasterLink {
    /** A task status update (its agent id set); the agent resends it until the scheduler acknowledges it. */
    void statusUpdate(StatusUpdate update);

    /** An executor's container is gone; {@code status} is the wait status, or -1 when none. */
    void exitedExecutor(String agentId, String frameworkId, String executorId, int status);

    /** An executor's MESSAGE for its scheduler. */
    void executorMessage(String agentId, String frameworkId, String executorId, ByteString data);
}
