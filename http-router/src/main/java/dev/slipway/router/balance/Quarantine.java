package dev.slipway.router.balance;

import dev.slipway.zk.Route.Endpoint;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Endpoints that just refused a connection or did not accept one within the connect timeout, as
 * Heroku's router quarantines a dyno: no request goes to one for {@link #TIME} unless the app has
 * nothing else. Apart from {@link Outliers}: one refused connection is enough, and it is short.
 * Shared by every event loop; kept across route table swaps for the endpoints that stay.
 */
public final class Quarantine {
    public static final Duration TIME = Duration.ofSeconds(5);

    private final ConcurrentHashMap<Endpoint, Long> until = new ConcurrentHashMap<>();
    /** When the last quarantine so far ends: until then no lookup is needed to say that nothing is quarantined. */
    private volatile long lastEnds;
    private final LongSupplier nanoTime;

    public Quarantine() {
        this(System::nanoTime);
    }

    Quarantine(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Keeps new requests away from {@code endpoint} for {@link #TIME}. */
    public void add(Endpoint endpoint) {
        long end = nanoTime.getAsLong() + TIME.toNanos();
        until.put(endpoint, end);
        // Never earlier than it was: another loop may have just set a later end.
        synchronized (this) {
            if (end - lastEnds > 0) {
                lastEnds = end;
            }
        }
    }

    /** Whether {@code endpoint} refused a connection less than {@link #TIME} ago. */
    public boolean contains(Endpoint endpoint) {
        if (until.isEmpty() || lastEnds - nanoTime.getAsLong() <= 0) {
            return false;
        }
        Long end = until.get(endpoint);
        if (end == null) {
            return false;
        }
        if (end - nanoTime.getAsLong() > 0) {
            return true;
        }
        until.remove(endpoint, end);
        return false;
    }

    /** Forgets endpoints that are no longer in {@code endpoints}. */
    void retain(List<Endpoint> endpoints) {
        if (until.isEmpty()) {
            return;
        }
        until.keySet().retainAll(new HashSet<>(endpoints));
    }
}
