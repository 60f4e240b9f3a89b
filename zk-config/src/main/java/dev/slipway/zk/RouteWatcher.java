package dev.slipway.zk;

import java.util.HashMap;
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
    /** The decoded routes by app, kept up to date one node at a time (only Curator's thread touches it). */
    private final Map<String, Route> table = new TreeMap<>();
    /** Which app each route node holds, so that a deleted node's route can be dropped. */
    private final Map<String, String> appByPath = new HashMap<>();
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
                    // Only the changed node is decoded: a change costs the same with 1 app or 10,000.
                    if (type == CuratorCacheListener.Type.NODE_DELETED) {
                        forget(before.getPath());
                    } else {
                        update(after);
                    }
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
        listener.onRoutes(Map.copyOf(table));
    }

    private void update(ChildData data) {
        if (data.getPath().equals(ZkPaths.ROUTES)) {
            return;
        }
        forget(data.getPath());
        if (data.getData() == null || data.getData().length == 0) {
            return;
        }
        try {
            Route route = nodes.decode(data.getData(), Route.class, data.getPath());
            table.put(route.app(), route);
            appByPath.put(data.getPath(), route.app());
        } catch (StoreException e) {
            LOG.warn("ignoring unreadable route at {}: {}", data.getPath(), e.getMessage());
        }
    }

    private void forget(String path) {
        String app = appByPath.remove(path);
        if (app != null) {
            table.remove(app);
        }
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
