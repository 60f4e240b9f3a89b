package dev.slipway.zk;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routers' acknowledgements under {@code /routers}: each running router holds one ephemeral
 * node, {@code /routers/<id>}, with the largest route version in the table it serves (a
 * {@link RouterAck}), written after each new table is swapped in. The scheduler waits for them
 * before it kills an instance it took out of the routes. A router's node goes with its session:
 * a router that is gone is waited for no more.
 */
public final class RouterAcks {
    private static final Logger LOG = LoggerFactory.getLogger(RouterAcks.class);

    private final Nodes nodes;

    public RouterAcks(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
    }

    /** The largest route version among {@code routes}: what a router serving them acknowledges. */
    public static long versionOf(Collection<Route> routes) {
        return routes.stream().mapToLong(Route::version).max().orElse(0);
    }

    /** Every router's acknowledged route version, by router id. */
    public Map<String, Long> list() {
        Map<String, Long> acks = new TreeMap<>();
        for (String id : nodes.children(ZkPaths.ROUTERS)) {
            nodes.read(ZkPaths.router(id), RouterAck.class).ifPresent(ack -> acks.put(id, ack.value().routeVersion()));
        }
        return acks;
    }

    /** The node of the router {@code id}, made at its first {@link Acknowledger#served served} table. */
    public Acknowledger register(String id) {
        ZkPaths.router(id);
        return new Acknowledger(id);
    }

    /** Tells {@code listener} of every router's acknowledgement, whole, at start and after each change. */
    public Watch watch(Listener listener) {
        Watch watch = new Watch(listener);
        watch.start();
        return watch;
    }

    /** Receives every router's acknowledged route version, by router id. */
    @FunctionalInterface
    public interface Listener {
        void onAcks(Map<String, Long> acks);
    }

    /**
     * One router's acknowledgements. Writes are synchronous (one round trip) and never throw:
     * a router that cannot write keeps serving, and the scheduler waits its bound instead.
     */
    public final class Acknowledger implements AutoCloseable {
        private final String id;
        private final ConnectionStateListener reconnect;
        private long served = -1;
        private boolean closed;
        private boolean failing;

        private Acknowledger(String id) {
            this.id = id;
            // A new session after an expired one has lost the ephemeral node: write it again.
            this.reconnect = (client, state) -> {
                if (state == ConnectionState.RECONNECTED) {
                    again();
                }
            };
            nodes.curator().getConnectionStateListenable().addListener(reconnect);
        }

        public String id() {
            return id;
        }

        /** Says that the router now serves a table whose largest route version is {@code version}. */
        public synchronized void served(long version) {
            if (closed) {
                return;
            }
            served = version;
            write(version);
        }

        private synchronized void again() {
            if (!closed && served >= 0) {
                write(served);
            }
        }

        private void write(long version) {
            String path = ZkPaths.router(id);
            byte[] data = nodes.encode(new RouterAck(version));
            try {
                try {
                    nodes.curator().setData().forPath(path, data);
                } catch (KeeperException.NoNodeException e) {
                    nodes.curator().create().withMode(CreateMode.EPHEMERAL).forPath(path, data);
                }
                failing = false;
            } catch (KeeperException.NodeExistsException e) {
                again();
            } catch (KeeperException.NoNodeException e) {
                // No /routers: the framework makes it when it first starts on this ZooKeeper (a router
                // may not). Nothing waits for this router's acknowledgements before then.
                if (!failing) {
                    LOG.info("router {} will acknowledge the route versions it serves once the framework has "
                            + "started on this ZooKeeper (it makes {})", id, ZkPaths.ROUTERS);
                }
                failing = true;
            } catch (Exception e) {
                if (!failing) {
                    LOG.warn("router {} could not acknowledge route version {}: {} (the scheduler waits its bound "
                            + "before killing drained instances)", id, version, e.getMessage());
                }
                failing = true;
            }
        }

        /** Removes the node: the scheduler stops waiting for this router. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            nodes.curator().getConnectionStateListenable().removeListener(reconnect);
            try {
                nodes.curator().delete().forPath(ZkPaths.router(id));
            } catch (KeeperException.NoNodeException e) {
                // Never written, or gone with its session.
            } catch (Exception e) {
                LOG.debug("router {}: its acknowledgement node goes with its session: {}", id, e.getMessage());
            }
        }
    }

    /** A watch of {@code /routers}; every change hands the listener the whole map anew. */
    public final class Watch implements AutoCloseable {
        private final Listener listener;
        private CuratorCache cache;

        private Watch(Listener listener) {
            this.listener = listener;
        }

        private void start() {
            cache = CuratorCache.build(nodes.curator(), ZkPaths.ROUTERS);
            cache.listenable().addListener(CuratorCacheListener.builder()
                    .forAll((type, before, after) -> publish())
                    .forInitialized(this::publish)
                    .build());
            cache.start();
        }

        private synchronized void publish() {
            Map<String, Long> acks = new TreeMap<>();
            cache.stream().filter(data -> ZkPaths.isRouterAck(data.getPath())).forEach(data -> decode(data, acks));
            listener.onAcks(Map.copyOf(acks));
        }

        private void decode(ChildData data, Map<String, Long> acks) {
            if (data.getData() == null || data.getData().length == 0) {
                return;
            }
            try {
                acks.put(ZkPaths.name(data.getPath()),
                        nodes.decode(data.getData(), RouterAck.class, data.getPath()).routeVersion());
            } catch (StoreException e) {
                LOG.warn("ignoring unreadable router acknowledgement at {}: {}", data.getPath(), e.getMessage());
            }
        }

        @Override
        public void close() {
            if (cache != null) {
                cache.close();
            }
        }
    }
}
