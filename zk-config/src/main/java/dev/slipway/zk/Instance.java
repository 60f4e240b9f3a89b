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
 * @param cpus     the cpus it was launched with (its {@link Size}, its executor's share aside); 0
 *                 when not known (launched before sizes were recorded)
 * @param memoryMb the memory it was launched with, in MB; 0 when not known
 * @param restart  the restart generation of its slot when it was launched ({@link App#restartOf}); an
 *                 instance of an older generation than its slot's is replaced as one of an older
 *                 release is. 0 for instances stored before restarts existed.
 */
public record Instance(String taskId, String app, String process, int index, int release,
                       InstanceState state, String agentId, String host, int port, boolean healthy,
                       String message, Instant updatedAt, double cpus, int memoryMb, int restart) {
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
        if (!(cpus >= 0) || Double.isInfinite(cpus) || memoryMb < 0) {
            throw new IllegalArgumentException("an instance's cpus and memory are not negative: " + cpus + ", "
                    + memoryMb);
        }
        if (restart < 0) {
            throw new IllegalArgumentException("an instance's restart generation is not negative: " + restart);
        }
    }

    /** An instance of the first restart generation. */
    public Instance(String taskId, String app, String process, int index, int release, InstanceState state,
                    String agentId, String host, int port, boolean healthy, String message, Instant updatedAt,
                    double cpus, int memoryMb) {
        this(taskId, app, process, index, release, state, agentId, host, port, healthy, message, updatedAt, cpus,
                memoryMb, 0);
    }

    /** An instance whose size is not known. */
    public Instance(String taskId, String app, String process, int index, int release, InstanceState state,
                    String agentId, String host, int port, boolean healthy, String message, Instant updatedAt) {
        this(taskId, app, process, index, release, state, agentId, host, port, healthy, message, updatedAt, 0, 0);
    }

    /** Whether it was launched with {@code size}; an instance of unknown size has none but the default. */
    public boolean has(Size size) {
        return size == null || size.fits(cpus, memoryMb);
    }

    /** The instance's name as users see it: {@code web.1}. */
    public String name() {
        return process + "." + index;
    }

    public Instance with(InstanceState newState, boolean newHealthy, String newMessage, Instant now) {
        return new Instance(taskId, app, process, index, release, newState, agentId, host, port, newHealthy,
                newMessage, now, cpus, memoryMb, restart);
    }
}
