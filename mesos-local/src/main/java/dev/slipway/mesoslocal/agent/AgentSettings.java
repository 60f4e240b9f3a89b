package dev.slipway.mesoslocal.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the agent needs to know at start: where sandboxes go, the address executors reach it at,
 * and the agent flags that bound executor and status update behaviour. {@code recovers}: whether
 * the agent checkpoints and takes executors back after a restart; without, executors are told not
 * to wait for it ({@code MESOS_CHECKPOINT=0}), so that one whose agent died (a SIGKILLed
 * {@code slipway up}) stops its app and exits at once instead of holding its port for the 15 minutes
 * of the recovery timeout.
 */
public record AgentSettings(
        Path workDir,
        String host,
        String hostname,
        Duration executorRegistrationTimeout,
        Duration executorShutdownGracePeriod,
        Duration heartbeatInterval,
        Duration statusUpdateRetryMin,
        Duration statusUpdateRetryMax,
        Duration executorReregistrationTimeout,
        boolean recovers) {
    public AgentSettings {
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(executorRegistrationTimeout, "executorRegistrationTimeout");
        Objects.requireNonNull(executorShutdownGracePeriod, "executorShutdownGracePeriod");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(statusUpdateRetryMin, "statusUpdateRetryMin");
        Objects.requireNonNull(statusUpdateRetryMax, "statusUpdateRetryMax");
        Objects.requireNonNull(executorReregistrationTimeout, "executorReregistrationTimeout");
    }

    /** Settings without recovery's reregistration timeout (Mesos's 2 s then). */
    public AgentSettings(Path workDir, String host, String hostname, Duration executorRegistrationTimeout,
            Duration executorShutdownGracePeriod, Duration heartbeatInterval, Duration statusUpdateRetryMin,
            Duration statusUpdateRetryMax) {
        this(workDir, host, hostname, executorRegistrationTimeout, executorShutdownGracePeriod, heartbeatInterval,
                statusUpdateRetryMin, statusUpdateRetryMax, Duration.ofSeconds(2), false);
    }
}
