package dev.slipway.zk;

import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/** Routes under {@code /routes/<app>}: written by the framework, watched by the router. */
public final class RouteStore {
    private final Nodes nodes;
    private final RouterAcks acks;

    public RouteStore(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
        this.acks = new RouterAcks(zk);
    }

    /** The TLS certificates the routers serve beside the routes, on the same connection. */
    public CertStore certs() {
        return new CertStore(nodes);
    }

    /** The routers' acknowledgements of the route versions they serve. */
    public RouterAcks acks() {
        return acks;
    }

    public void put(Route route) {
        nodes.put(ZkPaths.route(route.app()), route);
    }

    public Optional<Route> get(String app) {
        return nodes.read(ZkPaths.route(app), Route.class).map(Versioned::value);
    }

    public List<Route> list() {
        return nodes.children(ZkPaths.ROUTES).stream().flatMap(app -> get(app).stream()).toList();
    }

    public boolean delete(String app) {
        return nodes.delete(ZkPaths.route(app));
    }

    /** Starts watching every route; see {@link RouteWatcher}. */
    public RouteWatcher watch(RouteWatcher.Listener listener) {
        RouteWatcher watcher = new RouteWatcher(nodes, listener);
        watcher.start();
        return watcher;
    }
}
