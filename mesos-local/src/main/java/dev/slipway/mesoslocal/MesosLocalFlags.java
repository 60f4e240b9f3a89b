package dev.slipway.mesoslocal;

import java.time.Duration;
import java.util.Objects;

/**
 * The Mesos master and agent flags mesos-local honours, with Mesos 1.11's defaults. Tests shorten
 * them; {@code slipway up} keeps the defaults.
 *
 * @param allocationInterval how often the allocator makes offers ({@code --allocation_interval}, 1 s)
 * @param heartbeatInterval HEARTBEAT events on scheduler and executor streams (15 s)
 * @param executorRegistrationTimeout how long an executor has to subscribe (1 min)
 * @param executorShutdownGracePeriod from SHUTDOWN to the kill, unless the ExecutorInfo says (5 s)
 * @param statusUpdateRetryMin first resend of an unacknowledged status update (10 s), doubling to
 * @param statusUpdateRetryMax (10 min)
 * @param offerTimeout when outstanding offers are rescinded ({@code --offer_timeout}; zero, the
 *     default, never)
 */
public record MesosLocalFlags(Duration allocationInterval, Duration heartbeatInterval,
        Duration executorRegistrationTimeout, Duration executorShutdownGracePeriod, Duration statusUpdateRetryMin,
        Duration statusUpdateRetryMax, Duration offerTimeout) {

    public MesosLocalFlags {
        positive("allocationInterval", allocationInterval);
        positive("heartbeatInterval", heartbeatInterval);
        positive("executorRegistrationTimeout", executorRegistrationTimeout);
        Objects.requireNonNull(executorShutdownGracePeriod, "mesos-local: executorShutdownGracePeriod must be set");
        positive("statusUpdateRetryMin", statusUpdateRetryMin);
        positive("statusUpdateRetryMax", statusUpdateRetryMax);
        Objects.requireNonNull(offerTimeout, "mesos-local: offerTimeout must be set (zero for none)");
        if (executorShutdownGracePeriod.isNegative() || offerTimeout.isNegative()) {
            throw new IllegalArgumentException("mesos-local: durations must not be negative");
        }
    }

    public static MesosLocalFlags defaults() {
        return new MesosLocalFlags(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(1),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ZERO);
    }

    public MesosLocalFlags withExecutorRegistrationTimeout(Duration timeout) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, timeout, executorShutdownGracePeriod,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout);
    }

    public MesosLocalFlags withExecutorShutdownGracePeriod(Duration grace) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout, grace,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout);
    }

    public MesosLocalFlags withHeartbeatInterval(Duration interval) {
        return new MesosLocalFlags(allocationInterval, interval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout);
    }

    public MesosLocalFlags withStatusUpdateRetry(Duration min, Duration max) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, min, max, offerTimeout);
    }

    public MesosLocalFlags withOfferTimeout(Duration timeout) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, timeout);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, "mesos-local: " + name + " must be set");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("mesos-local: " + name + " must be above zero, was " + value);
        }
    }
}
