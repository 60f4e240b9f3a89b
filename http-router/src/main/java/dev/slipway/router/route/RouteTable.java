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
 * advance: a request costs one map lookup, or one per label of its host when it only matches a
 * wildcard. {@code <app>.<domain>} wins over a custom hostname that another app claims; between two
 * custom claims the app first by name wins (see {@link #conflicts()}). A wildcard domain
 * ({@code *.example.com}) matches any name under it, of one label or more; an exact name wins over
 * every wildcard, and the longest wildcard that matches wins over shorter ones.
 */
public final class RouteTable {
    private static final String WILDCARD = "*.";
    private final Map<String, Backend> byApp;
    private final Map<String, Backend> byHost;
    /** Wildcard domains by the suffix they match, with its dot: {@code .example.com} for {@code *.example.com}. */
    private final Map<String, Backend> bySuffix;
    private final List<String> conflicts;

    private RouteTable(Map<String, Backend> byApp, Map<String, Backend> byHost, Map<String, Backend> bySuffix,
                       List<String> conflicts) {
        this.byApp = Map.copyOf(byApp);
        this.byHost = Map.copyOf(byHost);
        this.bySuffix = Map.copyOf(bySuffix);
        this.conflicts = List.copyOf(conflicts);
    }

    public static RouteTable empty() {
        return new RouteTable(Map.of(), Map.of(), Map.of(), List.of());
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
        Map<String, Backend> bySuffix = new HashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (Backend backend : byApp.values()) {
            for (String hostname : backend.route().hostnames()) {
                String host = HostName.normalize(hostname);
                boolean wildcard = host.startsWith(WILDCARD);
                Backend owner = wildcard ? bySuffix.putIfAbsent(host.substring(1), backend)
                        : byHost.putIfAbsent(host, backend);
                if (owner != null && owner != backend) {
                    conflicts.add(host + " is claimed by " + backend.app() + " but routes to " + owner.app());
                }
            }
        }
        return new RouteTable(byApp, byHost, bySuffix, conflicts);
    }

    /**
     * The app answering at {@code host} (already {@link HostName normalized}), if any: the app of that
     * exact name, else the app of the longest wildcard domain it is under.
     */
    public Optional<Backend> lookup(String host) {
        Backend exact = byHost.get(host);
        if (exact != null || bySuffix.isEmpty()) {
            return Optional.ofNullable(exact);
        }
        // Longest suffix first: from the dot after the first label towards the end.
        for (int dot = host.indexOf('.'); dot > 0 && dot < host.length() - 1; dot = host.indexOf('.', dot + 1)) {
            Backend wildcard = bySuffix.get(host.substring(dot));
            if (wildcard != null) {
                return Optional.of(wildcard);
            }
        }
        return Optional.empty();
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
