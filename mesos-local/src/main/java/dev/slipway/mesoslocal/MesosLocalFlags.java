package dev.slipway.mesoslocal;

import dev.slipway.mesoslocal.auth.Authentication;
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
 * @param recover agent recovery ({@code --recover=reconnect} with checkpointing): state is checkpointed
 *     under the work directory, {@link MesosLocal#close()} leaves executors running, and a start finding a
 *     checkpoint takes them back (off by default: executors are shut down on close)
 * @param executorReregistrationTimeout how long recovered executors have to subscribe again before they
 *     are killed and their tasks reported gone ({@code --executor_reregistration_timeout}: 2 s in Mesos;
 *     10 s here, since JVM executors back off longer)
 * @param fetcherCacheSize bytes the agent's fetcher cache may hold ({@code --fetcher_cache_size}, 2 GB;
 *     0 turns the cache off)
 * @param authentication HTTP authentication of frameworks, executors and read-only endpoints
 *     ({@code --authenticate_http_frameworks}, {@code --authenticate_http_executors},
 *     {@code --authenticate_http_readonly}; none by default, as in Mesos)
 */
public record MesosLocalFlags(Duration allocationInterval, Duration heartbeatInterval,
        Duration executorRegistrationTimeout, Duration executorShutdownGracePeriod, Duration statusUpdateRetryMin,
        Duration statusUpdateRetryMax, Duration offerTimeout, boolean recover, Duration executorReregistrationTimeout,
        long fetcherCacheSize, Authentication authentication) {
    private static final Duration DEFAULT_REREGISTRATION_TIMEOUT = Duration.ofSeconds(10);
    /** Mesos's {@code DEFAULT_FETCHER_CACHE_SIZE}: 2 GB. */
    public static final long DEFAULT_FETCHER_CACHE_SIZE = 2L * 1024 * 1024 * 1024;

    public MesosLocalFlags {
        positive("allocationInterval", allocationInterval);
        positive("heartbeatInterval", heartbeatInterval);
        positive("executorRegistrationTimeout", executorRegistrationTimeout);
        Objects.requireNonNull(executorShutdownGracePeriod, "mesos-local: executorShutdownGracePeriod must be set");
        positive("statusUpdateRetryMin", statusUpdateRetryMin);
        positive("statusUpdateRetryMax", statusUpdateRetryMax);
        Objects.requireNonNull(offerTimeout, "mesos-local: offerTimeout must be set (zero for none)");
        positive("executorReregistrationTimeout", executorReregistrationTimeout);
        if (executorShutdownGracePeriod.isNegative() || offerTimeout.isNegative()) {
            throw new IllegalArgumentException("mesos-local: durations must not be negative");
        }
        Objects.requireNonNull(authentication, "mesos-local: authentication must be set (Authentication.none())");
        if (fetcherCacheSize < 0) {
            throw new IllegalArgumentException("mesos-local: fetcherCacheSize must not be negative, was "
                    + fetcherCacheSize);
        }
    }

    /** The flags without authentication (none then, as in Mesos by default). */
    public MesosLocalFlags(Duration allocationInterval, Duration heartbeatInterval,
            Duration executorRegistrationTimeout, Duration executorShutdownGracePeriod,
            Duration statusUpdateRetryMin, Duration statusUpdateRetryMax, Duration offerTimeout, boolean recover,
            Duration executorReregistrationTimeout, long fetcherCacheSize) {
        this(allocationInterval, heartbeatInterval, executorRegistrationTimeout, executorShutdownGracePeriod,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover, executorReregistrationTimeout,
                fetcherCacheSize, Authentication.none());
    }

    /** The flags without the fetcher cache size (Mesos's 2 GB then). */
    public MesosLocalFlags(Duration allocationInterval, Duration heartbeatInterval,
            Duration executorRegistrationTimeout, Duration executorShutdownGracePeriod,
            Duration statusUpdateRetryMin, Duration statusUpdateRetryMax, Duration offerTimeout, boolean recover,
            Duration executorReregistrationTimeout) {
        this(allocationInterval, heartbeatInterval, executorRegistrationTimeout, executorShutdownGracePeriod,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover, executorReregistrationTimeout,
                DEFAULT_FETCHER_CACHE_SIZE);
    }

    /** The flags without recovery (the signature before recovery existed). */
    public MesosLocalFlags(Duration allocationInterval, Duration heartbeatInterval,
            Duration executorRegistrationTimeout, Duration executorShutdownGracePeriod,
            Duration statusUpdateRetryMin, Duration statusUpdateRetryMax, Duration offerTimeout) {
        this(allocationInterval, heartbeatInterval, executorRegistrationTimeout, executorShutdownGracePeriod,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, false, DEFAULT_REREGISTRATION_TIMEOUT);
    }

    public static MesosLocalFlags defaults() {
        return new MesosLocalFlags(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(1),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ZERO);
    }

    public MesosLocalFlags withExecutorRegistrationTimeout(Duration timeout) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, timeout, executorShutdownGracePeriod,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication);
    }

    public MesosLocalFlags withExecutorShutdownGracePeriod(Duration grace) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout, grace,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication);
    }

    public MesosLocalFlags withHeartbeatInterval(Duration interval) {
        return new MesosLocalFlags(allocationInterval, interval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication);
    }

    public MesosLocalFlags withStatusUpdateRetry(Duration min, Duration max) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, min, max, offerTimeout, recover, executorReregistrationTimeout,
                fetcherCacheSize, authentication);
    }

    public MesosLocalFlags withOfferTimeout(Duration timeout) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, timeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication);
    }

    /** With agent recovery on or off. */
    public MesosLocalFlags withRecovery(boolean recovery) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recovery,
                executorReregistrationTimeout, fetcherCacheSize, authentication);
    }

    public MesosLocalFlags withExecutorReregistrationTimeout(Duration timeout) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                timeout, fetcherCacheSize, authentication);
    }

    /** With the fetcher cache holding at most {@code bytes} (0 turns it off). */
    public MesosLocalFlags withFetcherCacheSize(long bytes) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, bytes, authentication);
    }

    /** With HTTP authentication as {@code authentication} sets it. */
    public MesosLocalFlags withAuthentication(Authentication authentication) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, "mesos-local: " + name + " must be set");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("mesos-local: " + name + " must be above zero, was " + value);
        }
    }
}
