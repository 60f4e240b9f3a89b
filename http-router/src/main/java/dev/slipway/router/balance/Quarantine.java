package dev.slipway.router.balance;

import dev.slipway.zk.Route.Endpoint;
import java.time.Duration;
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

    private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public Quarantine() {
        this(System::nanoTime);
    }

    Quarantine(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Keeps new requests away from {@code endpoint} for {@link #TIME}. */
    public void add(Endpoint endpoint) {
        until.put(EndpointKey.of(endpoint), nanoTime.getAsLong() + TIME.toNanos());
    }

    /** Whether {@code endpoint} refused a connection less than {@link #TIME} ago. */
    public boolean contains(Endpoint endpoint) {
        if (until.isEmpty()) {
            return false;
        }
        Long end = until.get(EndpointKey.of(endpoint));
        if (end == null) {
            return false;
        }
        if (end - nanoTime.getAsLong() > 0) {
            return true;
        }
        until.remove(EndpointKey.of(endpoint), end);
        return false;
    }

    /** Forgets endpoints that are no longer in {@code endpoints}. */
    void retain(List<Endpoint> endpoints) {
        if (until.isEmpty()) {
            return;
        }
        until.keySet().retainAll(EndpointKey.of(endpoints));
    }
}
