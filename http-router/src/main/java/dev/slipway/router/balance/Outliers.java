package dev.slipway.router.balance;

import dev.slipway.zk.Route.Endpoint;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Passive outlier detection for the endpoints of one app, as Envoy's: an endpoint whose requests
 * fail {@link #CONSECUTIVE_FAILURES} times in a row (refused or timed-out connections, no response
 * within the request timeout, connections reset or closed before a response) is ejected: no new
 * request goes to it for {@link #BASE_EJECTION} times the number of times it was ejected in a
 * row, at most {@link #MAX_EJECTION}. Any response from it resets its count.
 *
 * <p>Never all of them: an ejection that would leave the app without any endpoint does not happen
 * (an app with one endpoint never loses it), and should every endpoint be ejected anyway (two event
 * loops at once) the balancer ignores ejections. Shared by every event loop; kept across route
 * table swaps for the endpoints that stay.
 */
public final class Outliers {
    public static final int CONSECUTIVE_FAILURES = 3;
    public static final Duration BASE_EJECTION = Duration.ofSeconds(10);
    public static final Duration MAX_EJECTION = Duration.ofSeconds(30);

    /**
     * Kept by the whole endpoint, its task too: a new instance that reuses a port must not inherit an
     * ejection.
     */
    private final ConcurrentHashMap<Endpoint, Health> health = new ConcurrentHashMap<>();
    /** When the last ejection so far ends: until then no lookup is needed to say that nothing is ejected. */
    private volatile long lastEjectionEnds;
    private volatile boolean everEjected;
    private final LongSupplier nanoTime;

    private static final class Health {
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        volatile long ejectedUntil;
        volatile boolean ejected;
        int ejections;
    }

    public Outliers() {
        this(System::nanoTime);
    }

    Outliers(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Whether new requests should stay away from {@code endpoint} for now. */
    public boolean isEjected(Endpoint endpoint) {
        if (!everEjected || lastEjectionEnds - nanoTime.getAsLong() <= 0) {
            return false;
        }
        Health state = health.get(endpoint);
        return state != null && state.ejected && state.ejectedUntil - nanoTime.getAsLong() > 0;
    }

    /** {@code endpoint} answered: its failures in a row start again from zero. */
    public void succeeded(Endpoint endpoint) {
        Health state = health.get(endpoint);
        if (state != null) {
            state.consecutiveFailures.set(0);
        }
    }

    /**
     * One more failure of {@code endpoint}, one of the app's {@code endpoints}: the ejection time
     * when this failure ejects it, else null.
     */
    public Duration failed(Endpoint endpoint, List<Endpoint> endpoints) {
        Health state = health.computeIfAbsent(endpoint, key -> new Health());
        if (state.consecutiveFailures.incrementAndGet() < CONSECUTIVE_FAILURES) {
            return null;
        }
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (state.ejected && state.ejectedUntil - now > 0) {
                return null;
            }
            long others = endpoints.stream().filter(other -> !other.equals(endpoint) && isEjected(other)).count();
            if (others + 1 >= endpoints.size()) {
                // The last endpoint standing keeps its traffic: an app is never ejected entirely.
                return null;
            }
            if (state.ejected && now - state.ejectedUntil > MAX_EJECTION.toNanos()) {
                // It behaved for a while since its last ejection: start again from the base time.
                state.ejections = 0;
            }
            state.ejections++;
            Duration time = BASE_EJECTION.multipliedBy(state.ejections);
            if (time.compareTo(MAX_EJECTION) > 0) {
                time = MAX_EJECTION;
            }
            state.ejectedUntil = now + time.toNanos();
            state.ejected = true;
            if (!everEjected || state.ejectedUntil - lastEjectionEnds > 0) {
                lastEjectionEnds = state.ejectedUntil;
            }
            everEjected = true;
            state.consecutiveFailures.set(0);
            return time;
        }
    }

    /** Forgets endpoints that are no longer in {@code endpoints}. */
    void retain(List<Endpoint> endpoints) {
        if (health.isEmpty()) {
            return;
        }
        health.keySet().retainAll(new HashSet<>(endpoints));
    }
}
