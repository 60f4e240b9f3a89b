package dev.slipway.zk;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the full table of routes in memory and hands every new version of it, whole and
 * immutable, to a listener. When ZooKeeper is unreachable the last table stays in force: the
 * router keeps serving what it knew.
 */
public final class RouteWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteWatcher.class);

    /** Receives the whole route table (app name to route) after each change. */
    @FunctionalInterface
    public interface Listener {
        void onRoutes(Map<String, Route> routes);
    }

    private final Nodes nodes;
    private final Listener listener;
    private final CountDownLatch initialized = new CountDownLatch(1);
    private CuratorCache cache;

    RouteWatcher(Nodes nodes, Listener listener) {
        this.nodes = nodes;
        this.listener = listener;
    }

    void start() {
        // /routes may not exist yet (the router identity cannot make it): the cache picks it up when it appears.
        cache = CuratorCache.build(nodes.curator(), ZkPaths.ROUTES);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> {
                    if (initialized.getCount() == 0) {
                        publish();
                    }
                })
                .forInitialized(() -> {
                    // Publish first: whoever awaits initialization must find the first table in place.
                    publish();
                    initialized.countDown();
                })
                .build());
        cache.start();
    }

    /** Waits until the first full table has been read and published. */
    public boolean awaitInitialized(long timeout, TimeUnit unit) throws InterruptedException {
        return initialized.await(timeout, unit);
    }

    private void publish() {
        Map<String, Route> table = new TreeMap<>();
        cache.stream()
                .filter(data -> !data.getPath().equals(ZkPaths.ROUTES))
                .forEach(data -> decode(data, table));
        listener.onRoutes(Map.copyOf(table));
    }

    private void decode(ChildData data, Map<String, Route> table) {
        if (data.getData() == null || data.getData().length == 0) {
            return;
        }
        try {
            Route route = nodes.decode(data.getData(), Route.class, data.getPath());
            table.put(route.app(), route);
        } catch (StoreException e) {
            LOG.warn("ignoring unreadable route at {}: {}", data.getPath(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
