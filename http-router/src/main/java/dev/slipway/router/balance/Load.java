package dev.slipway.router.balance;

import dev.slipway.zk.Route.Endpoint;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many requests each endpoint of an app has in flight, and how many it was given in all.
 * Shared by every event loop; kept across route table swaps for the endpoints that stay (a request
 * in flight during a swap gives back the very counter it took).
 */
final class Load {
    private final ConcurrentHashMap<Endpoint, Counters> counters = new ConcurrentHashMap<>();

    static final class Counters {
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicLong given = new AtomicLong();
    }

    /** One request more in flight at {@code endpoint}; the lease gives it back, once. */
    Lease take(Endpoint endpoint) {
        Counters taken = counters.computeIfAbsent(endpoint, key -> new Counters());
        taken.outstanding.incrementAndGet();
        taken.given.incrementAndGet();
        return new Lease(taken);
    }

    int outstanding(Endpoint endpoint) {
        Counters of = counters.get(endpoint);
        return of == null ? 0 : of.outstanding.get();
    }

    long given(Endpoint endpoint) {
        Counters of = counters.get(endpoint);
        return of == null ? 0 : of.given.get();
    }

    void retain(List<Endpoint> endpoints) {
        if (counters.isEmpty()) {
            return;
        }
        counters.keySet().retainAll(new HashSet<>(endpoints));
    }
}
