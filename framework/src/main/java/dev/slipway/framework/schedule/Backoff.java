package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Crash backoff per slot: after each failure a slot waits 1 s, 2 s, 4 s ... up to 5 minutes before
 * it is launched again. Becoming ready does not forgive the failures at once: only an instance that
 * stays up for {@link #STABLE} does. One that dies sooner (within {@link #STABLE} of its first
 * health pass, or before any) is a crash like any other, so a loop of "up, routed, dead" backs off
 * instead of restarting every few seconds forever (issue 12: a replacement that passed its boot
 * check against an orphan's port died with EADDRINUSE a moment later, and was replaced every 6 s).
 * Only the scheduler thread uses it.
 */
final class Backoff {
    /** How long an instance must stay up before its slot's earlier failures are forgotten. */
    static final Duration STABLE = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofMinutes(5);

    private final Map<Slot, Entry> entries = new HashMap<>();

    /** The slot's instance ended unasked: the next launch waits twice as long as the last, unless it had been up long. */
    void failed(Slot slot, Instant now) {
        Entry previous = entries.get(slot);
        boolean wasStable = previous != null && previous.upSince != null
                && !previous.upSince.plus(STABLE).isAfter(now);
        int failures = previous == null || wasStable ? 1 : previous.failures + 1;
        entries.put(slot, new Entry(failures, now.plusMillis(delay(failures).toMillis()), null));
    }

    /**
     * The slot's instance became ready (healthy, or running for a process without a health check) at
     * {@code now}; its failures count until it has stayed up for {@link #STABLE}.
     */
    void succeeded(Slot slot, Instant now) {
        Entry previous = entries.get(slot);
        if (previous == null) {
            return;
        }
        if (previous.upSince == null) {
            entries.put(slot, new Entry(previous.failures, previous.notBefore, now));
        } else if (!previous.upSince.plus(STABLE).isAfter(now)) {
            entries.remove(slot);
        }
    }

    boolean mayLaunch(Slot slot, Instant now) {
        Entry entry = entries.get(slot);
        return entry == null || !now.isBefore(entry.notBefore);
    }

    /** How long the slot waits before its next launch, zero when it may launch at once. */
    Duration wait(Slot slot, Instant now) {
        Entry entry = entries.get(slot);
        return entry == null || !now.isBefore(entry.notBefore) ? Duration.ZERO : Duration.between(now, entry.notBefore);
    }

    static Duration delay(int failures) {
        return Duration.ofMillis(Math.min(MAX.toMillis(), 1000L << Math.min(failures - 1, 20)));
    }

    /** @param upSince when the instance after the last failure became ready; null while it has not */
    private record Entry(int failures, Instant notBefore, Instant upSince) {
    }
}
