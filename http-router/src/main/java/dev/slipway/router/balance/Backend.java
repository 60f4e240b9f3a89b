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
    private final Outliers outliers;

    private Backend(Route route, RoundRobin turns, Outliers outliers) {
        this.route = route;
        this.turns = turns;
        this.outliers = outliers;
    }

    /**
     * A backend for {@code route}, continuing the turns and the outlier ejections of {@code previous}
     * (may be null) so that a table swap neither sends everyone back to the first endpoint nor lets
     * an ejected endpoint back in early.
     */
    public static Backend of(Route route, Backend previous) {
        if (previous == null) {
            return new Backend(route, new RoundRobin(), new Outliers());
        }
        previous.outliers.retain(route.endpoints());
        return new Backend(route, previous.turns, previous.outliers);
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

    /** The endpoint whose turn it is, passing over ejected ones; only call when {@link #hasEndpoints()}. */
    public Endpoint next() {
        List<Endpoint> endpoints = route.endpoints();
        return firstAvailable(endpoints, turns.next(endpoints.size()));
    }

    /**
     * The endpoint after {@code endpoint} in this backend's order, passing over ejected ones (the
     * first one if it is no longer here).
     */
    public Endpoint after(Endpoint endpoint) {
        List<Endpoint> endpoints = route.endpoints();
        int index = endpoints.indexOf(endpoint);
        return firstAvailable(endpoints, (index + 1) % endpoints.size());
    }

    /** The outlier detection of this app's endpoints. */
    public Outliers outliers() {
        return outliers;
    }

    private Endpoint firstAvailable(List<Endpoint> endpoints, int from) {
        int size = endpoints.size();
        for (int i = 0; i < size; i++) {
            Endpoint candidate = endpoints.get((from + i) % size);
            if (!outliers.isEjected(candidate)) {
                return candidate;
            }
        }
        // All ejected (never on purpose, see Outliers): ignore ejections rather than refuse.
        return endpoints.get(from);
    }
}
