package dev.slipway.router.route;

import dev.slipway.router.balance.Backend;
import dev.slipway.zk.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One immutable version of the routes, with every host name the router answers to resolved in
 * advance: a request costs one map lookup. {@code <app>.<domain>} wins over a custom hostname that
 * another app claims; between two custom claims the app first by name wins (see {@link #conflicts()}).
 */
public final class RouteTable {
    private final Map<String, Backend> byApp;
    private final Map<String, Backend> byHost;
    private final List<String> conflicts;

    private RouteTable(Map<String, Backend> byApp, Map<String, Backend> byHost, List<String> conflicts) {
        this.byApp = Map.copyOf(byApp);
        this.byHost = Map.copyOf(byHost);
        this.conflicts = List.copyOf(conflicts);
    }

    public static RouteTable empty() {
        return new RouteTable(Map.of(), Map.of(), List.of());
    }

    /**
     * The table for {@code routes} (app name to route) with apps at {@code <app>.<domain>}. Backends
     * of apps already in {@code previous} keep their round-robin position.
     */
    public static RouteTable build(Map<String, Route> routes, String domain, RouteTable previous) {
        Map<String, Backend> byApp = new TreeMap<>();
        routes.values().forEach(route -> byApp.put(route.app(), Backend.of(route, previous.byApp.get(route.app()))));

        Map<String, Backend> byHost = new HashMap<>();
        byApp.values().forEach(backend -> byHost.put(HostName.normalize(backend.app()) + "." + domain, backend));
        List<String> conflicts = new ArrayList<>();
        for (Backend backend : byApp.values()) {
            for (String hostname : backend.route().hostnames()) {
                String host = HostName.normalize(hostname);
                Backend owner = byHost.putIfAbsent(host, backend);
                if (owner != null && owner != backend) {
                    conflicts.add(host + " is claimed by " + backend.app() + " but routes to " + owner.app());
                }
            }
        }
        return new RouteTable(byApp, byHost, conflicts);
    }

    /** The app answering at {@code host} (already {@link HostName normalized}), if any. */
    public Optional<Backend> lookup(String host) {
        return Optional.ofNullable(byHost.get(host));
    }

    public int apps() {
        return byApp.size();
    }

    public int endpoints() {
        return byApp.values().stream().mapToInt(Backend::size).sum();
    }

    /** Host names that more than one app claims, as human-readable sentences. */
    public List<String> conflicts() {
        return conflicts;
    }
}
