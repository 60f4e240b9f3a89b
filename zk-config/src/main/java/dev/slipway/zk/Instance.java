package dev.slipway.zk;

import java.time.Instant;
import java.util.Objects;

/**
 * One running process of an app: one Mesos task, named like {@code web.1}.
 *
 * @param index   the instance number within its process type (1-based)
 * @param release the release it runs
 * @param healthy whether its health check passes; only healthy web instances are routed
 * @param message the last reason Mesos or the executor gave, for people
 */
public record Instance(String taskId, String app, String process, int index, int release,
                       InstanceState state, String agentId, String host, int port, boolean healthy,
                       String message, Instant updatedAt) {
    /** A longer message from Mesos or the executor is cut, to keep the record small. */
    public static final int MAX_MESSAGE_LENGTH = 1000;

    public Instance {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(state, "state");
        agentId = agentId == null ? "" : agentId;
        host = host == null ? "" : host;
        message = message == null ? "" : message;
        if (message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
        }
        updatedAt = updatedAt == null ? Instant.EPOCH : updatedAt;
    }

    /** The instance's name as users see it: {@code web.1}. */
    public String name() {
        return process + "." + index;
    }

    public Instance with(InstanceState newState, boolean newHealthy, String newMessage, Instant now) {
        return new Instance(taskId, app, process, index, release, newState, agentId, host, port, newHealthy,
                newMessage, now);
    }
}
