package dev.slipway.zk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/** Apps under {@code /apps}. */
public final class AppStore {
    private static final int DESTROY_ATTEMPTS = 10;
    private final Nodes nodes;

    public AppStore(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
    }

    /** Stores a new app; {@link Conflict} if one of that name exists. */
    public Versioned<App> create(App app) {
        return new Versioned<>(app, nodes.create(ZkPaths.app(app.name()), app));
    }

    public Optional<Versioned<App>> get(String name) {
        return nodes.read(ZkPaths.app(name), App.class);
    }

    /** The app, or {@link NotFound} naming it. */
    public Versioned<App> require(String name) {
        return get(name).orElseThrow(() -> new NotFound("app '" + name + "' does not exist"));
    }

    public List<App> list() {
        return nodes.readChildren(ZkPaths.APPS, App.class);
    }

    /** The apps of these names that exist, read together (one round trip, not one per app). */
    public List<App> get(Collection<String> names) {
        return nodes.readMany(names.stream().map(ZkPaths::app).toList(), App.class, "read " + names.size() + " apps")
                .values().stream().map(Versioned::value).toList();
    }

    /** Whether the connection these apps are read on is up now. */
    public ZkConnection connection() {
        return new ZkConnection(nodes.curator());
    }

    /** Tells of every app changed from now on; see {@link AppWatch}. */
    public AppWatch watch(AppWatch.Listener listener, java.time.Duration timeout) {
        return AppWatch.start(nodes.curator(), listener, timeout);
    }

    /** A write of the scheduler's state, on the same connection; see {@link StateWrite}. */
    public StateWrite stateWrite() {
        return new StateWrite(nodes.curator());
    }

    /** The apps' routes, on the same connection. */
    public RouteStore routes() {
        return new RouteStore(nodes.curator());
    }

    /** The builds of these apps, on the same connection. */
    public BuildStore builds() {
        return new BuildStore(nodes);
    }

    /** The deployments of these apps, on the same connection. */
    public DeploymentStore deployments() {
        return new DeploymentStore(nodes);
    }

    /** The crash backoffs of these apps' slots, on the same connection. */
    public CrashBackoffStore crashes() {
        return new CrashBackoffStore(nodes);
    }

    /** The config vars these apps' users set, on the same connection. */
    public ConfigStore config() {
        return new ConfigStore(nodes);
    }

    /** Users, teams and tokens, on the same connection. */
    public AccountStore accounts() {
        return new AccountStore(nodes);
    }

    /** The custom domains of these apps, on the same connection. */
    public DomainStore domains() {
        return new DomainStore(nodes);
    }

    /** The TLS certificates of these apps' custom domains, on the same connection. */
    public CertStore certs() {
        return new CertStore(nodes);
    }

    /**
     * Removes the app and everything under its node (config, releases, builds, crash backoffs) and
     * releases its domains; false if there was none. Its instances and route are the scheduler's to
     * end. The app's node goes in one multi with its domains' claims, at the version whose domains
     * were read: a domain added meanwhile makes it try again, so that no claim outlives its app.
     */
    public boolean destroy(String name) {
        String path = ZkPaths.app(name);
        for (int attempt = 1; ; attempt++) {
            Optional<Versioned<App>> app = get(name);
            if (app.isEmpty()) {
                return false;
            }
            nodes.children(path).forEach(child -> nodes.delete(ZkPaths.child(path, child)));
            List<CuratorOp> ops = new ArrayList<>(domains().releaseOps(app.get().value()));
            ops.add(nodes.deleteOp(path, app.get().version()));
            try {
                nodes.transaction("destroy app " + name, ops.toArray(CuratorOp[]::new));
                return true;
            } catch (Conflict | NotFound e) {
                // Changed, or written under, while it was being removed: read it again.
                if (attempt >= DESTROY_ATTEMPTS) {
                    throw new Conflict("app '" + name + "' kept changing while it was being destroyed ("
                            + attempt + " attempts): try again", e);
                }
            }
        }
    }

    /** Writes the app if it is unchanged since {@code version}; {@link Conflict} otherwise. */
    public Versioned<App> update(App app, int version) {
        return new Versioned<>(app, nodes.update(ZkPaths.app(app.name()), app, version));
    }
}
