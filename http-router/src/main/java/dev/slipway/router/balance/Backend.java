package dev.slipway.router.balance;

import dev.slipway.zk.Route;
import dev.slipway.zk.Route.Endpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The healthy endpoints of one app and how the router spreads requests over them: least outstanding
 * requests of two random choices, or round robin (see {@link Balance}), passing over endpoints that
 * are ejected ({@link Outliers}) or quarantined ({@link Quarantine}). Immutable apart from its
 * lock-free counters, so one instance is safely shared by every event loop.
 */
public final class Backend {
    private final Route route;
    private final RoundRobin turns;
    private final Outliers outliers;
    private final Quarantine quarantine;
    private final Load load;
    /** Null for the calling thread's own generator. */
    private final RandomGenerator random;

    private Backend(Route route, RoundRobin turns, Outliers outliers, Quarantine quarantine, Load load,
                    RandomGenerator random) {
        this.route = route;
        this.turns = turns;
        this.outliers = outliers;
        this.quarantine = quarantine;
        this.load = load;
        this.random = random;
    }

    /**
     * A backend for {@code route}, continuing the turns, loads, ejections and quarantines of
     * {@code previous} (may be null) so that a table swap neither sends everyone back to the first
     * endpoint nor lets an ejected endpoint back in early.
     */
    public static Backend of(Route route, Backend previous) {
        return of(route, previous, null);
    }

    /** A backend without history whose ejections and quarantines run on {@code nanoTime} (tests). */
    static Backend fresh(Route route, RandomGenerator random, LongSupplier nanoTime) {
        return new Backend(route, new RoundRobin(), new Outliers(nanoTime), new Quarantine(nanoTime), new Load(), random);
    }

    /** As {@link #of(Route, Backend)}, drawing endpoints with {@code random} (tests), or each thread's own when null. */
    static Backend of(Route route, Backend previous, RandomGenerator random) {
        if (previous == null) {
            return new Backend(route, new RoundRobin(), new Outliers(), new Quarantine(), new Load(), random);
        }
        previous.outliers.retain(route.endpoints());
        previous.quarantine.retain(route.endpoints());
        previous.load.retain(route.endpoints());
        return new Backend(route, previous.turns, previous.outliers, previous.quarantine, previous.load,
                random == null ? previous.random : random);
    }

    public String app() {
        return route.app();
    }

    public Route route() {
        return route;
    }

    public List<Endpoint> endpoints() {
        return route.endpoints();
    }

    public boolean hasEndpoints() {
        return !route.endpoints().isEmpty();
    }

    public int size() {
        return route.endpoints().size();
    }

    /**
     * The endpoint for a request's next attempt, not one of {@code tried}, or null when none is left.
     * Ejected and quarantined endpoints are passed over; on the first attempt (nothing tried), when
     * every endpoint is ejected or quarantined, they are all candidates again rather than none.
     */
    public Endpoint choose(Balance balance, Collection<Endpoint> tried) {
        List<Endpoint> endpoints = route.endpoints();
        List<Endpoint> ready = new ArrayList<>(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            if (!tried.contains(endpoint) && !quarantine.contains(endpoint) && !outliers.isEjected(endpoint)) {
                ready.add(endpoint);
            }
        }
        if (ready.isEmpty()) {
            if (!tried.isEmpty() || endpoints.isEmpty()) {
                return null;
            }
            ready.addAll(endpoints);
        }
        if (ready.size() == 1) {
            return ready.get(0);
        }
        return balance == Balance.ROUND_ROBIN ? ready.get(turns.next(ready.size())) : leastOutstandingOfTwo(ready);
    }

    /** Counts a request in flight at {@code endpoint} until the lease is released. */
    public Lease take(Endpoint endpoint) {
        return load.take(endpoint);
    }

    /** How many requests are in flight at {@code endpoint} now. */
    public int outstanding(Endpoint endpoint) {
        return load.outstanding(endpoint);
    }

    /** The outlier detection of this app's endpoints. */
    public Outliers outliers() {
        return outliers;
    }

    /** The endpoints of this app that refused a connection a moment ago. */
    public Quarantine quarantine() {
        return quarantine;
    }

    private Endpoint leastOutstandingOfTwo(List<Endpoint> ready) {
        RandomGenerator draw = random == null ? ThreadLocalRandom.current() : random;
        int first = draw.nextInt(ready.size());
        int second = draw.nextInt(ready.size() - 1);
        if (second >= first) {
            second++;
        }
        Endpoint one = ready.get(first);
        Endpoint other = ready.get(second);
        int difference = Integer.compare(load.outstanding(one), load.outstanding(other));
        if (difference == 0) {
            // Equally busy: the one given fewer requests so far, so that requests one after the other alternate.
            difference = Long.compare(load.given(one), load.given(other));
        }
        return difference <= 0 ? one : other;
    }
}
