package dev.slipway.zk;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;

/**
 * Tells which apps changed under {@code /apps} (created, changed or deleted), so that a reader can
 * keep its own copy of them current with one read per change instead of reading them all over and
 * over. One persistent recursive watch (Curator's {@link CuratorCache}, which also catches up after
 * a lost session); only app nodes are told of, not their releases, builds or crash records, and
 * only changes after {@link #start} returns.
 */
public final class AppWatch implements AutoCloseable {
    /** Called on Curator's event thread: hand the work to your own thread. */
    @FunctionalInterface
    public interface Listener {
        void changed(String app);
    }

    private final CuratorCache cache;

    private AppWatch(CuratorCache cache) {
        this.cache = cache;
    }

    /** Starts watching; returns once the watch is set, so that a read made after it misses no change. */
    public static AppWatch start(CuratorFramework zk, Listener listener, Duration timeout) {
        new Nodes(zk).ensure(ZkPaths.APPS);
        CuratorCache cache = CuratorCache.builder(zk, ZkPaths.APPS).withStorage(CuratorCacheStorage.dataNotCached()).build();
        CountDownLatch ready = new CountDownLatch(1);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> {
                    String app = appOf(after != null ? after : before);
                    if (app != null) {
                        listener.changed(app);
                    }
                })
                .afterInitialized()
                .build());
        cache.listenable().addListener(CuratorCacheListener.builder().forInitialized(ready::countDown).build());
        cache.start();
        try {
            if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                cache.close();
                throw new Unavailable("the watch on " + ZkPaths.APPS + " was not set within " + timeout.toSeconds()
                        + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cache.close();
            throw new Unavailable("interrupted while setting the watch on " + ZkPaths.APPS, e);
        }
        return new AppWatch(cache);
    }

    /** The app a node of {@code /apps/<app>} is, null for any other node (the root, releases, builds...). */
    static String appOf(ChildData node) {
        if (node == null) {
            return null;
        }
        String path = node.getPath();
        String prefix = ZkPaths.APPS + "/";
        if (!path.startsWith(prefix) || path.indexOf('/', prefix.length()) >= 0 || path.length() == prefix.length()) {
            return null;
        }
        return path.substring(prefix.length());
    }

    @Override
    public void close() {
        cache.close();
    }
}
