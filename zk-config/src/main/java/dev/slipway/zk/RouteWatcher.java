package dev.slipway.zk;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the full table of routes in memory and hands every new version of it, whole and
 * immutable, to a listener. When ZooKeeper is unreachable the last table stays in force: the
 * router keeps serving what it knew.
 */
public final class RouteWatcher implements AutoCloseable {
    /** Receives the whole route table (app name to route) after each change. */
    @FunctionalInterface
    public interface Listener {
        void onRoutes(Map<String, Route> routes);
    }

    private final TableWatcher<Route> routes;

    RouteWatcher(Nodes nodes, Listener listener) {
        routes = new TableWatcher<>(nodes, ZkPaths.ROUTES, Route.class, Route::app, listener::onRoutes);
    }

    void start() {
        routes.start();
    }

    /** Waits until the first full table has been read and published. */
    public boolean awaitInitialized(long timeout, TimeUnit unit) throws InterruptedException {
        return routes.awaitInitialized(timeout, unit);
    }

    @Override
    public void close() {
        routes.close();
    }
}
