package dev.slipway.router.balance;

import dev.slipway.zk.Route;
import dev.slipway.zk.Route.Endpoint;
import java.util.List;

/**
 * The healthy endpoints of one app, taken in turn. Immutable apart from its turn counter, which is
 * lock-free, so one instance is safely shared by every event loop.
 */
public final class Backend {
    private final Route route;
    private final RoundRobin turns;

    private Backend(Route route, RoundRobin turns) {
        this.route = route;
        this.turns = turns;
    }

    /** A backend for {@code route}, continuing the turns of {@code previous} (may be null) so that a table swap does not send everyone back to the first endpoint. */
    public static Backend of(Route route, Backend previous) {
        return new Backend(route, previous == null ? new RoundRobin() : previous.turns);
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

    /** The endpoint whose turn it is; only call when {@link #hasEndpoints()}. */
    public Endpoint next() {
        List<Endpoint> endpoints = route.endpoints();
        return endpoints.get(turns.next(endpoints.size()));
    }

    /** The endpoint after {@code endpoint} in this backend's order (the first one if it is no longer here). */
    public Endpoint after(Endpoint endpoint) {
        List<Endpoint> endpoints = route.endpoints();
        int index = endpoints.indexOf(endpoint);
        return endpoints.get((index + 1) % endpoints.size());
    }
}
