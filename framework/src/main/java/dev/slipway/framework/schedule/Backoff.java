package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Crash backoff per slot: after each failure a slot waits 1 s, 2 s, 4 s ... up to 5 minutes before
 * it is launched again; an instance that becomes ready resets it. Only the scheduler thread uses it.
 */
final class Backoff {
    private static final Duration MAX = Duration.ofMinutes(5);

    private final Map<Slot, Entry> entries = new HashMap<>();

    void failed(Slot slot, Instant now) {
        Entry previous = entries.get(slot);
        int failures = previous == null ? 1 : previous.failures + 1;
        long delayMs = Math.min(MAX.toMillis(), 1000L << Math.min(failures - 1, 20));
        entries.put(slot, new Entry(failures, now.plusMillis(delayMs)));
    }

    void succeeded(Slot slot) {
        entries.remove(slot);
    }

    boolean mayLaunch(Slot slot, Instant now) {
        Entry entry = entries.get(slot);
        return entry == null || !now.isBefore(entry.notBefore);
    }

    private record Entry(int failures, Instant notBefore) {
    }
}
