package dev.slipway.framework.schedule;

import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.CrashBackoffStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.AppWatch;
import dev.slipway.zk.Route;
import dev.slipway.zk.StateWrite;
import dev.slipway.zk.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    }

    List<App> apps() {
        return apps.list();
    }

    Release release(String app, int version) {
        String key = app + "/" + version;
        Release cached = releaseCache.get(key);
        if (cached != null) {
            return cached;
        }
        Release release = releases.get(app, version)
                .orElseThrow(() -> new IllegalStateException("app " + app + " points at missing release v" + version));
        releaseCache.put(key, release);
        return release;
    }

    List<Instance> instances() {
        return instances.list();
    }

    List<Versioned<Instance>> instancesVersioned() {
        return instances.listVersioned();
    }

    Optional<App> app(String name) {
        return apps.get(name).map(Versioned::value);
    }

    List<Route> routes() {
        return apps.routes().list();
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
