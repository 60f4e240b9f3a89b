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
 * @param gcDelay how long the sandbox of an exited executor is kept before it is removed
 *     ({@code --gc_delay}: 1 week in Mesos, 1 hour here, where sandboxes of a laptop's redeploys pile up)
 * @param diskWatchInterval how often the disk usage of the work directory's file system is checked to
 *     shrink the gc delay ({@code --disk_watch_interval}, 1 min)
 * @param gcDiskHeadroom the share of the disk kept free of old sandboxes: a sandbox may be at most
 *     {@code gcDelay * max(0, 1 - gcDiskHeadroom - disk usage)} old ({@code --gc_disk_headroom}, 0.1)
 */
public record MesosLocalFlags(Duration allocationInterval, Duration heartbeatInterval,
        Duration executorRegistrationTimeout, Duration executorShutdownGracePeriod, Duration statusUpdateRetryMin,
        Duration statusUpdateRetryMax, Duration offerTimeout, boolean recover, Duration executorReregistrationTimeout,
        long fetcherCacheSize, Authentication authentication, Duration gcDelay, Duration diskWatchInterval,
        double gcDiskHeadroom) {
    private static final Duration DEFAULT_REREGISTRATION_TIMEOUT = Duration.ofSeconds(10);
    /** mesos-local's {@code --gc_delay}: 1 hour (Mesos's is 1 week). */
    public static final Duration DEFAULT_GC_DELAY = Duration.ofHours(1);
    /** Mesos's {@code --disk_watch_interval}: 1 minute. */
    public static final Duration DEFAULT_DISK_WATCH_INTERVAL = Duration.ofMinutes(1);
    /** Mesos's {@code --gc_disk_headroom}: 0.1. */
    public static final double DEFAULT_GC_DISK_HEADROOM = 0.1;
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
        Objects.requireNonNull(gcDelay, "mesos-local: gcDelay must be set");
        if (gcDelay.isNegative()) {
            throw new IllegalArgumentException("mesos-local: gcDelay must not be negative, was " + gcDelay);
        }
        positive("diskWatchInterval", diskWatchInterval);
        if (!(gcDiskHeadroom >= 0 && gcDiskHeadroom <= 1)) {
            throw new IllegalArgumentException("mesos-local: gcDiskHeadroom must lie within 0.0 and 1.0, was "
                    + gcDiskHeadroom);
        }
    }

    /** The flags without garbage collection's (mesos-local's defaults then). */
    public MesosLocalFlags(Duration allocationInterval, Duration heartbeatInterval,
            Duration executorRegistrationTimeout, Duration executorShutdownGracePeriod,
            Duration statusUpdateRetryMin, Duration statusUpdateRetryMax, Duration offerTimeout, boolean recover,
            Duration executorReregistrationTimeout, long fetcherCacheSize, Authentication authentication) {
        this(allocationInterval, heartbeatInterval, executorRegistrationTimeout, executorShutdownGracePeriod,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover, executorReregistrationTimeout,
                fetcherCacheSize, authentication, DEFAULT_GC_DELAY, DEFAULT_DISK_WATCH_INTERVAL,
                DEFAULT_GC_DISK_HEADROOM);
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
                executorReregistrationTimeout, fetcherCacheSize, authentication, gcDelay, diskWatchInterval,
                gcDiskHeadroom);
    }

    public MesosLocalFlags withExecutorShutdownGracePeriod(Duration grace) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout, grace,
                statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication, gcDelay, diskWatchInterval,
                gcDiskHeadroom);
    }

    public MesosLocalFlags withHeartbeatInterval(Duration interval) {
        return new MesosLocalFlags(allocationInterval, interval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication, gcDelay, diskWatchInterval,
                gcDiskHeadroom);
    }

    public MesosLocalFlags withStatusUpdateRetry(Duration min, Duration max) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, min, max, offerTimeout, recover, executorReregistrationTimeout,
                fetcherCacheSize, authentication, gcDelay, diskWatchInterval, gcDiskHeadroom);
    }

    public MesosLocalFlags withOfferTimeout(Duration timeout) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, timeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication, gcDelay, diskWatchInterval,
                gcDiskHeadroom);
    }

    /** With agent recovery on or off. */
    public MesosLocalFlags withRecovery(boolean recovery) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recovery,
                executorReregistrationTimeout, fetcherCacheSize, authentication, gcDelay, diskWatchInterval,
                gcDiskHeadroom);
    }

    public MesosLocalFlags withExecutorReregistrationTimeout(Duration timeout) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                timeout, fetcherCacheSize, authentication, gcDelay, diskWatchInterval, gcDiskHeadroom);
    }

    /** With the fetcher cache holding at most {@code bytes} (0 turns it off). */
    public MesosLocalFlags withFetcherCacheSize(long bytes) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, bytes, authentication, gcDelay, diskWatchInterval, gcDiskHeadroom);
    }

    /** With HTTP authentication as {@code authentication} sets it. */
    public MesosLocalFlags withAuthentication(Authentication authentication) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication, gcDelay, diskWatchInterval,
                gcDiskHeadroom);
    }

    /**
     * With sandbox garbage collection as {@code --gc_delay}, {@code --disk_watch_interval} and
     * {@code --gc_disk_headroom} set it.
     */
    public MesosLocalFlags withGarbageCollection(Duration delay, Duration diskWatchInterval, double diskHeadroom) {
        return new MesosLocalFlags(allocationInterval, heartbeatInterval, executorRegistrationTimeout,
                executorShutdownGracePeriod, statusUpdateRetryMin, statusUpdateRetryMax, offerTimeout, recover,
                executorReregistrationTimeout, fetcherCacheSize, authentication, delay, diskWatchInterval,
                diskHeadroom);
    }

    /** With sandboxes kept for {@code delay} after their executor exited ({@code --gc_delay}). */
    public MesosLocalFlags withGcDelay(Duration delay) {
        return withGarbageCollection(delay, diskWatchInterval, gcDiskHeadroom);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, "mesos-local: " + name + " must be set");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("mesos-local: " + name + " must be above zero, was " + value);
        }
    }
}
