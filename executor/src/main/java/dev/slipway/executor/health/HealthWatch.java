package dev.slipway.executor.health;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one instance's {@link Probe} on a scheduler thread, one probe at a time, and tells a
 * {@link Listener} what the results mean as {@link HealthCheck} decides it. The probes block that
 * thread (for a probe's timeout at most); the listener is called on it and must hand the news on
 * rather than act on it there.
 */
public final class HealthWatch {
    private static final Logger LOG = LoggerFactory.getLogger(HealthWatch.class);

    /** What a watch reports, from the scheduler's thread. {@link #healthy} at most once, then at most one of the others. */
    public interface Listener {
        /** The first pass; {@code detail} says what passed ({@code listening on port 31000}). */
        void healthy(String detail);

        /** No pass before the deadline; the watch is over. */
        void bootTimedOut(String reason);

        /** Too many failures in a row after the first pass; the watch is over. */
        void unhealthy(String reason);
    }

    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Probe probe;
    private final String instance;
    private final Listener listener;
    /** Only the probe runs touch it, and they never overlap. */
    private HealthCheck check;
    private volatile boolean cancelled;
    private ScheduledFuture<?> next;

    private HealthWatch(ScheduledExecutorService scheduler, Clock clock, Probe probe, HealthCheck check,
                        String instance, Listener listener) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.probe = probe;
        this.check = check;
        this.instance = instance;
        this.listener = listener;
    }

    /**
     * Starts probing at once.
     *
     * @param instance names the instance in log lines ({@code hello web.1 v3 (task ...)})
     */
    public static HealthWatch start(ScheduledExecutorService scheduler, Clock clock, Probe probe,
                                    HealthCheck.Rules rules, String instance, Listener listener) {
        HealthWatch watch = new HealthWatch(scheduler, clock, probe, HealthCheck.start(rules, clock.instant()),
                instance, listener);
        watch.schedule(Duration.ZERO);
        return watch;
    }

    /** Stops probing; no callback is made once this has returned. */
    public synchronized void cancel() {
        cancelled = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    private void runOnce() {
        if (cancelled) {
            return;
        }
        ProbeResult result;
        try {
            result = probe.check(check.probeTimeout(clock.instant()));
        } catch (RuntimeException e) {
            // A probe must not throw; should one, it counts as a failure rather than ending the watch.
            LOG.error("{}: the health probe broke", instance, e);
            result = ProbeResult.failed("the health check broke: " + e);
        }
        HealthCheck.Step step = check.after(result, clock.instant());
        log(check, result);
        check = step.next();
        synchronized (this) {
            if (cancelled) {
                return;
            }
            if (step.verdict() instanceof HealthCheck.Verdict.ProbeAgain again) {
                schedule(again.in());
            } else if (step.verdict() instanceof HealthCheck.Verdict.Healthy healthy) {
                LOG.info("{}: health check passed: {}", instance, healthy.detail());
                listener.healthy(healthy.detail());
                schedule(healthy.in());
            } else if (step.verdict() instanceof HealthCheck.Verdict.BootTimedOut timedOut) {
                LOG.info("{}: {}", instance, timedOut.reason());
                listener.bootTimedOut(timedOut.reason());
            } else if (step.verdict() instanceof HealthCheck.Verdict.Unhealthy unhealthy) {
                LOG.info("{}: {}", instance, unhealthy.reason());
                listener.unhealthy(unhealthy.reason());
            }
        }
    }

    /** Failures before the first pass are expected (the app is booting): DEBUG; later ones matter. */
    private void log(HealthCheck before, ProbeResult result) {
        if (before.stage() == HealthCheck.Stage.UP && !result.passed()) {
            LOG.info("{}: health check failed ({} of {} in a row): {}", instance, before.failures() + 1,
                    before.rules().maxConsecutiveFailures(), result.description());
        } else if (before.stage() == HealthCheck.Stage.UP && before.failures() > 0) {
            LOG.info("{}: health check passed again: {}", instance, result.description());
        } else {
            LOG.debug("{}: {}", instance, result.description());
        }
    }

    private synchronized void schedule(Duration delay) {
        if (cancelled) {
            return;
        }
        try {
            next = scheduler.schedule(this::runOnce, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The executor is stopping: there is no one left to tell.
            LOG.debug("{}: health check not rescheduled, the scheduler is shut down", instance);
        }
    }
}
