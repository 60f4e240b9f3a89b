package dev.slipway.router.route;

import dev.slipway.zk.Route;
import dev.slipway.zk.RouteWatcher;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table in force. ZooKeeper's watcher thread builds each new table and swaps it in with a
 * single volatile write; request handlers on the event loops only ever read a whole, immutable
 * table. Until the watcher says otherwise, the last table stays in force.
 */
public final class LiveRoutes implements RouteWatcher.Listener, Supplier<RouteTable> {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRoutes.class);

    private final String domain;
    private volatile RouteTable table = RouteTable.empty();

    public LiveRoutes(String domain) {
        this.domain = domain;
    }

    @Override
    public void onRoutes(Map<String, Route> routes) {
        RouteTable previous = table;
        RouteTable next = RouteTable.build(routes, domain, previous);
        table = next;
        if (next.apps() != previous.apps() || next.endpoints() != previous.endpoints()) {
            LOG.info("route table now has {} apps and {} endpoints (was {} and {})",
                    next.apps(), next.endpoints(), previous.apps(), previous.endpoints());
        } else {
            LOG.debug("route table updated: {} apps, {} endpoints", next.apps(), next.endpoints());
        }
        if (!next.conflicts().equals(previous.conflicts())) {
            next.conflicts().forEach(conflict -> LOG.warn("hostname conflict: {}", conflict));
        }
    }

    @Override
    public RouteTable get() {
        return table;
    }
}
