package dev.slipway.framework.schedule;

import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.CrashBackoffStore;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.DeploymentStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.AppWatch;
import dev.slipway.zk.Route;
import dev.slipway.zk.RouterAcks;
import dev.slipway.zk.StateWrite;
import dev.slipway.zk.Versioned;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The scheduler's access to the wanted and actual state in ZooKeeper: read whole when the model
 * is loaded ({@link Model#load}), then app by app as they change, and written one decision at a
 * time ({@link StateWrite}). Releases are immutable, so they are cached once read.
 */
public final class State {
    private final AppStore apps;
    private final ReleaseStore releases;
    private final InstanceStore instances;
    private final CrashBackoffStore crashes;
    private final DeploymentStore deployments;
    private final Map<String, Release> releaseCache = new ConcurrentHashMap<>();
    /** The writer's node in the leader election, which every write checks; null for unfenced writes. */
    private final Supplier<String> fence;

    public State(AppStore apps, ReleaseStore releases, InstanceStore instances) {
        this(apps, releases, instances, null);
    }

    /**
     * A state whose writes succeed only while {@code fence} names an existing node: this framework
     * instance's node in the leader election (see {@link StateWrite#fencedBy}).
     */
    public State(AppStore apps, ReleaseStore releases, InstanceStore instances, Supplier<String> fence) {
        this.fence = fence;
        this.apps = apps;
        this.releases = releases;
        this.instances = instances;
        this.crashes = apps.crashes();
        this.deployments = apps.deployments();
    }

    List<App> apps() {
        return apps.list();
    }

    List<Versioned<Instance>> instancesVersioned() {
        return instances.listVersioned();
    }

    /** The apps of these names that exist, read together. */
    List<App> apps(Collection<String> names) {
        return apps.get(names);
    }

    /**
     * The releases of these apps at these versions, by app, read together where not cached; an
     * app whose release is missing is left out.
     */
    Map<String, Release> releases(Map<String, Integer> versions) {
        Map<String, Release> found = new HashMap<>();
        Map<String, Integer> toRead = new HashMap<>();
        versions.forEach((app, version) -> {
            Release cached = releaseCache.get(app + "/" + version);
            if (cached != null) {
                found.put(app, cached);
            } else {
                toRead.put(app, version);
            }
        });
        if (!toRead.isEmpty()) {
            releases.get(toRead).forEach((app, release) -> {
                releaseCache.put(app + "/" + release.version(), release);
                found.put(app, release);
            });
        }
        return found;
    }

    List<Route> routes() {
        return apps.routes().list();
    }

    /** The route version each running router serves, by router id. */
    Map<String, Long> routerAcks() {
        return apps.routes().acks().list();
    }

    /** Tells {@code listener} of the routers' acknowledgements, now and after each change. */
    RouterAcks.Watch watchRouters(RouterAcks.Listener listener) {
        return apps.routes().acks().watch(listener);
    }

    /** A write of the scheduler's state as one multi. */
    StateWrite write() {
        StateWrite write = apps.stateWrite();
        return fence == null ? write : write.fencedBy(fence.get());
    }

    /** Tells {@code listener} of every app changed from now on. */
    AppWatch watchApps(AppWatch.Listener listener) {
        return apps.watch(listener, Duration.ofSeconds(30));
    }

    /** The app's newest deployment, null when it has none. */
    Deployment latestDeployment(String app) {
        return deployments.latest(app).orElse(null);
    }

    /** Keeps the app's newest deployments only. */
    void pruneDeployments(String app) {
        deployments.prune(app);
    }

    /** The app as stored, with its version. */
    Versioned<App> appVersioned(String name) {
        return apps.require(name);
    }

    /** The app's release {@code version}, null when it is not stored. */
    Release release(String app, int version) {
        return releases(Map.of(app, version)).get(app);
    }

    List<CrashBackoff> crashes(String app) {
        return crashes.list(app);
    }

    void putCrash(String app, CrashBackoff backoff) {
        crashes.put(app, backoff);
    }

    void deleteCrash(String app, String slot) {
        crashes.delete(app, slot);
    }
}
