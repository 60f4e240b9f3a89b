package dev.slipway.executor.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff between subscription attempts, each wait at most {@code max}
 * ({@code MESOS_SUBSCRIPTION_BACKOFF_MAX}) and jittered so that the executors of a restarted
 * agent do not all come back at once.
 */
final class Backoff {
    static final Duration INITIAL = Duration.ofMillis(250);

    private final Duration max;
    private Duration current;

    Backoff(Duration max) {
        this.max = max;
        reset();
    }

    void reset() {
        current = INITIAL.compareTo(max) < 0 ? INITIAL : max;
    }

    /** The next wait: between half and all of the current step, which then doubles up to the maximum. */
    Duration next() {
        long nanos = current.toNanos();
        Duration wait = Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(max) < 0 ? doubled : max;
        return wait;
    }
}
