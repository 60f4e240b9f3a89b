package dev.slipway.framework.mesos;

import dev.slipway.zk.InstanceState;
import java.util.Objects;

/**
 * A task status update from Mesos, without protobufs.
 *
 * @param uuid    the update's uuid, null for updates that need no acknowledgement (reconciliation)
 * @param healthy null when the update says nothing about health
 * @param reason  Mesos's reason name (e.g. REASON_RECONCILIATION), or empty
 */
public record TaskUpdate(String taskId, String agentId, InstanceState state, Boolean healthy, String message,
                         String reason, String source, byte[] uuid) {
    public TaskUpdate {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        agentId = agentId == null ? "" : agentId;
        message = message == null ? "" : message;
        reason = reason == null ? "" : reason;
        source = source == null ? "" : source;
    }

    public boolean needsAcknowledgement() {
        return uuid != null && uuid.length > 0;
    }

    public boolean fromReconciliation() {
        return "REASON_RECONCILIATION".equals(reason);
    }
}
