package dev.slipway.framework.schedule;

import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.CrashBackoffStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's view of the wanted and actual state, read from ZooKeeper. Releases are
 * immutable, so they are cached once read.
 */
public final class State {
    private final AppStore apps;
    private final ReleaseStore releases;
    private final InstanceStore instances;
    private final CrashBackoffStore crashes;
    private final Map<String, Release> releaseCache = new ConcurrentHashMap<>();

    public State(AppStore apps, ReleaseStore releases, InstanceStore instances) {
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

    List<Instance> instances(String app) {
        return instances.list(app);
    }

    Optional<Instance> instance(String taskId) {
        return instances.get(taskId);
    }

    void putInstance(Instance instance) {
        instances.put(instance);
    }

    void deleteInstance(String taskId) {
        instances.delete(taskId);
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
