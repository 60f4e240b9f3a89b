package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.Slot;
import dev.slipway.framework.offer.Running;
import dev.slipway.zk.App;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.Instance;
import dev.slipway.zk.Release;
import dev.slipway.zk.Route;
import dev.slipway.zk.StateWrite;
import dev.slipway.zk.Versioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduler's in-memory model: apps with their current releases, instances (indexed by app),
 * routes as published, crash backoffs, and the scheduler's own bookkeeping. Loaded from ZooKeeper
 * when this framework instance starts scheduling ({@link #load}); afterwards changed only by
 * {@link #apply}ing the core's steps once their writes are stored, and by the apps' changes read
 * after ZooKeeper told of them. ZooKeeper is the durable log, the model the read path. Only the
 * scheduler thread touches it.
 */
final class Model {
    private final Map<String, App> apps = new TreeMap<>();
    private final Map<String, Release> releases = new HashMap<>();
    /** By task id, in task id order (as ZooKeeper lists them), which the planner's tie-breaks follow. */
    private final Map<String, Instance> instances = new TreeMap<>();
    private final Map<String, Integer> versions = new HashMap<>();
    private final Map<String, Map<String, Instance>> byApp = new HashMap<>();
    private final Map<String, Route> routes = new HashMap<>();
    private final Map<Slot, CrashBackoff> crashes = new HashMap<>();
    private final Map<String, Instant> killsSent = new HashMap<>();
    /** Each app's newest deployment. */
    private final Map<String, Deployment> deployments = new HashMap<>();
    /**
     * Releases of each app other than its current one that a rollback may copy: the running release
     * (the last that became healthy) and the newest deployment's fallback, by version.
     */
    private final Map<String, Map<Integer, Release>> keptReleases = new HashMap<>();
    /** The largest version of a route written or read: the next route written has a larger one. */
    private long routeVersion;
    private Running running = new Running();
    private Flags flags = Flags.INITIAL;
    private Map<String, List<String>> vetoes = Map.of();

    /** An empty model, before anything was deployed. */
    Model() {
    }

    /** Reads the whole state once. */
    static Model load(State state) {
        Model model = new Model();
        List<App> apps = state.apps();
        Map<String, Integer> versions = new HashMap<>();
        apps.stream().filter(a -> a.release() != 0).forEach(a -> versions.put(a.name(), a.release()));
        Map<String, Release> releases = state.releases(versions);
        for (App app : apps) {
            if (app.release() != 0 && !releases.containsKey(app.name())) {
                throw new IllegalStateException("app " + app.name() + " points at missing release v" + app.release());
            }
            model.putApp(app, releases.get(app.name()));
            Deployment latest = state.latestDeployment(app.name());
            if (latest != null) {
                model.deployments.put(app.name(), latest);
                for (int version : new int[] {latest.running(), latest.fallback()}) {
                    Release kept = version == 0 || version == app.release() ? null : state.release(app.name(), version);
                    if (kept != null) {
                        model.keptReleases.computeIfAbsent(app.name(), a -> new HashMap<>()).put(version, kept);
                    }
                }
            }
            for (CrashBackoff crash : state.crashes(app.name())) {
                model.crashes.put(new Slot(app.name(), crash.process(), crash.index()), crash);
            }
        }
        for (Versioned<Instance> stored : state.instancesVersioned()) {
            model.putInstance(stored.value(), stored.version());
        }
        state.routes().forEach(route -> model.putRoute(route));
        model.flags = Flags.INITIAL.withRouters(state.routerAcks());
        return model;
    }

    // ---- Reads.

    Collection<App> apps() {
        return Collections.unmodifiableCollection(apps.values());
    }

    App app(String name) {
        return apps.get(name);
    }

    /** The app's current release, null before its first deploy. */
    Release release(String app) {
        return releases.get(app);
    }

    Collection<Instance> instances() {
        return Collections.unmodifiableCollection(instances.values());
    }

    Instance instance(String taskId) {
        return instances.get(taskId);
    }

    /** The app's instances, read through the index: never a scan of all. */
    Collection<Instance> instancesOf(String app) {
        Map<String, Instance> of = byApp.get(app);
        return of == null ? List.of() : Collections.unmodifiableCollection(of.values());
    }

    /** The version the instance is stored at, {@link StateWrite#NEW} when it is not stored. */
    int version(String taskId) {
        return versions.getOrDefault(taskId, StateWrite.NEW);
    }

    Route route(String app) {
        return routes.get(app);
    }

    /** The largest version of a route written or read. */
    long routeVersion() {
        return routeVersion;
    }

    Map<Slot, CrashBackoff> crashes() {
        return Collections.unmodifiableMap(crashes);
    }

    Instant killSent(String taskId) {
        return killsSent.get(taskId);
    }

    /** The app's newest deployment, null when it has none. */
    Deployment deployment(String app) {
        return deployments.get(app);
    }

    /**
     * The app's release {@code version} when the model holds it: its current release, or its
     * running one (what an automatic rollback copies); null otherwise.
     */
    Release kept(String app, int version) {
        Release current = releases.get(app);
        if (current != null && current.version() == version) {
            return current;
        }
        return keptReleases.getOrDefault(app, Map.of()).get(version);
    }

    /** The newest deployment of each app. */
    Collection<Deployment> deployments() {
        return Collections.unmodifiableCollection(deployments.values());
    }

    Running running() {
        return running;
    }

    Flags flags() {
        return flags;
    }

    Map<String, List<String>> vetoes() {
        return vetoes;
    }

    // ---- Changes.

    /** Applies a step whose write was stored; {@code stored} gives the new version of each instance written. */
    void apply(Step step, Map<String, Integer> stored) {
        step.appsChanged().forEach(read -> putApp(read.app(), read.release()));
        step.appsDeleted().forEach(this::removeApp);
        step.rollbacks().forEach(r -> {
            App app = apps.get(r.app());
            if (app != null) {
                putApp(app.withRelease(r.release().version()), r.release());
            }
        });
        step.deployments().forEach(d -> {
            Deployment known = deployments.get(d.app());
            if (apps.containsKey(d.app()) && (known == null || known.id() <= d.id())) {
                deployments.put(d.app(), d);
                keepRunning(d.app());
            }
        });
        step.puts().values().forEach(i -> putInstance(i, stored.getOrDefault(i.taskId(), version(i.taskId()))));
        step.deletes().forEach(this::removeInstance);
        step.routes().values().forEach(this::putRoute);
        crashes.putAll(step.crashes());
        step.forgiven().forEach(crashes::remove);
        killsSent.putAll(step.killsSent());
        step.killsForgotten().forEach(killsSent::remove);
        if (!step.offersSeen().isEmpty()) {
            running = running.plus(step.offersSeen());
        }
        flags = step.flags();
        if (step.vetoes() != null) {
            vetoes = step.vetoes();
        }
    }

    /**
     * Keeps the app's current release aside while it is the running one or the newest deployment's
     * fallback, for when the current one changes; forgets those that are neither any more.
     */
    private void keepRunning(String app) {
        Release current = releases.get(app);
        Deployment latest = deployments.get(app);
        int running = latest == null ? (current == null ? 0 : current.version()) : latest.running();
        int fallback = latest == null ? running : latest.fallback();
        Map<Integer, Release> kept = keptReleases.computeIfAbsent(app, a -> new HashMap<>());
        if (current != null && (current.version() == running || current.version() == fallback)) {
            kept.put(current.version(), current);
        }
        kept.keySet().removeIf(version -> version != running && version != fallback);
    }

    private void putRoute(Route route) {
        routes.put(route.app(), route);
        routeVersion = Math.max(routeVersion, route.version());
    }

    private void putApp(App app, Release release) {
        keepRunning(app.name());
        apps.put(app.name(), app);
        if (release == null) {
            releases.remove(app.name());
        } else {
            releases.put(app.name(), release);
        }
    }

    private void removeApp(String name) {
        apps.remove(name);
        releases.remove(name);
        deployments.remove(name);
        keptReleases.remove(name);
        crashes.keySet().removeIf(slot -> slot.app().equals(name));
    }

    private void putInstance(Instance instance, int version) {
        Instance before = instances.put(instance.taskId(), instance);
        if (before != null && !before.app().equals(instance.app())) {
            unindex(before);
        }
        versions.put(instance.taskId(), version);
        byApp.computeIfAbsent(instance.app(), a -> new TreeMap<>()).put(instance.taskId(), instance);
    }

    private void removeInstance(String taskId) {
        Instance before = instances.remove(taskId);
        versions.remove(taskId);
        killsSent.remove(taskId);
        if (before != null) {
            unindex(before);
        }
    }

    private void unindex(Instance instance) {
        Map<String, Instance> of = byApp.get(instance.app());
        if (of != null) {
            of.remove(instance.taskId());
            if (of.isEmpty()) {
                byApp.remove(instance.app());
            }
        }
    }

    /** Every instance of every app, for tests and for the rare whole-model pass. */
    List<Instance> instanceList() {
        return new ArrayList<>(instances.values());
    }
}
