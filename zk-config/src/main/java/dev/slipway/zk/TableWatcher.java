package dev.slipway.zk;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records under one parent node (the routes, the TLS certificates), kept in memory and handed whole and
 * immutable to a listener after each change (on ZooKeeper's event thread), keyed as the store says.
 * When ZooKeeper is unreachable the last table stays in force. Unreadable records are left out with
 * a warning that names their path only.
 */
public final class TableWatcher<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableWatcher.class);

    private final Nodes nodes;
    private final String parent;
    private final Class<T> type;
    private final Function<T, String> key;
    private final Consumer<Map<String, T>> listener;
    private final CountDownLatch initialized = new CountDownLatch(1);
    /** The decoded records by key, kept up to date one node at a time (only Curator's thread touches it). */
    private final Map<String, T> table = new TreeMap<>();
    /** Which key each node holds, so that a deleted node's record can be dropped. */
    private final Map<String, String> keyByPath = new HashMap<>();
    private CuratorCache cache;

    TableWatcher(Nodes nodes, String parent, Class<T> type, Function<T, String> key, Consumer<Map<String, T>> listener) {
        this.nodes = nodes;
        this.parent = parent;
        this.type = type;
        this.key = key;
        this.listener = listener;
    }

    void start() {
        // The parent may not exist yet (a read-only identity cannot make it): the cache picks it up when it appears.
        cache = CuratorCache.build(nodes.curator(), parent);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((event, before, after) -> {
                    // Only the changed node is decoded: a change costs the same with 1 record or 10,000.
                    if (event == CuratorCacheListener.Type.NODE_DELETED) {
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
        listener.accept(Map.copyOf(table));
    }

    private void update(ChildData data) {
        if (data.getPath().equals(parent)) {
            return;
        }
        forget(data.getPath());
        if (data.getData() == null || data.getData().length == 0) {
            return;
        }
        try {
            T value = nodes.decode(data.getData(), type, data.getPath());
            String name = key.apply(value);
            table.put(name, value);
            keyByPath.put(data.getPath(), name);
        } catch (StoreException e) {
            LOG.warn("ignoring an unreadable {} at {}", type.getSimpleName(), data.getPath());
        }
    }

    private void forget(String path) {
        String name = keyByPath.remove(path);
        if (name != null) {
            table.remove(name);
        }
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
