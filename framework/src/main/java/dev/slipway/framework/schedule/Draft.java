package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.Slot;
import dev.slipway.framework.logs.DynoEvents;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.route.Routes;
import dev.slipway.zk.App;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.Release;
import dev.slipway.zk.Instance;
import dev.slipway.zk.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One step of the core in the making: the model as this step changes it, read through, while the
 * model itself stays as it is until the step is stored and {@link Model#apply applied}.
 */
final class Draft {
    final Model model;
    final Instant now;
    private final Map<String, Instance> puts = new LinkedHashMap<>();
    private final Set<String> deletes = new LinkedHashSet<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Map<Slot, CrashBackoff> crashes = new LinkedHashMap<>();
    private final Set<Slot> forgiven = new LinkedHashSet<>();
    private final Map<String, Instant> killsSent = new LinkedHashMap<>();
    private final Set<String> killsForgotten = new LinkedHashSet<>();
    private final List<Offer> offersSeen = new ArrayList<>();
    private final List<Event.AppRead> appsChanged = new ArrayList<>();
    private final List<String> appsDeleted = new ArrayList<>();
    private final List<Effect> effects = new ArrayList<>();
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final List<Step.Rollback> rollbacks = new ArrayList<>();
    private Flags flags;
    private Map<String, List<String>> vetoes;

    Draft(Model model, Instant now) {
        this.model = model;
        this.now = now;
        this.flags = model.flags();
    }

    // ---- Instances, as this step leaves them.

    Instance instance(String taskId) {
        if (deletes.contains(taskId)) {
            return null;
        }
        Instance put = puts.get(taskId);
        return put != null ? put : model.instance(taskId);
    }

    /** The app's instances in task id order. */
    List<Instance> instancesOf(String app) {
        Map<String, Instance> of = new TreeMap<>();
        model.instancesOf(app).forEach(i -> of.put(i.taskId(), i));
        overlay(of, app);
        return new ArrayList<>(of.values());
    }

    /** Every instance in task id order. */
    List<Instance> instances() {
        if (puts.isEmpty() && deletes.isEmpty()) {
            return model.instanceList();
        }
        Map<String, Instance> all = new TreeMap<>();
        model.instances().forEach(i -> all.put(i.taskId(), i));
        overlay(all, null);
        return new ArrayList<>(all.values());
    }

    private void overlay(Map<String, Instance> instances, String app) {
        puts.values().stream().filter(i -> app == null || i.app().equals(app)).forEach(i -> instances.put(i.taskId(), i));
        deletes.forEach(instances::remove);
    }

    /** Changes an instance (stored in this step's write), telling its app's log when users would see a change. */
    void put(Instance before, Instance after) {
        puts.put(after.taskId(), after);
        if (before != null) {
            DynoEvents.change(before, after).ifPresent(line -> effect(new Effect.Tell(after.app(), after.name(), line)));
        }
    }

    void delete(String taskId) {
        puts.remove(taskId);
        deletes.add(taskId);
    }

    // ---- Routes.

    /**
     * The app's route as its instances, custom domains and {@code https-only} feature now stand,
     * written when it differs from the one published. Its version is given in {@link #step()}.
     */
    void route(String app) {
        App current = app(app);
        Route route = Routes.of(app, current == null ? List.of() : current.domains(), instancesOf(app))
                .withHttpsOnly(current != null && current.httpsOnly());
        Route published = routes.containsKey(app) ? routes.get(app) : model.route(app);
        if (!route.sameAs(published)) {
            routes.put(app, route);
        }
    }

    /**
     * Whether the routers send {@code app}'s requests to {@code taskId}: the app's route has it and
     * every running router serves that route. A route this step writes is served by no router yet
     * (unless none runs); a stored one, once each router has acknowledged its version or a later one.
     */
    boolean routersServe(String app, String taskId) {
        Route drafted = routes.get(app);
        if (drafted != null) {
            return drafted.routesTo(taskId) && flags.routers().isEmpty();
        }
        Route stored = model.route(app);
        return stored != null && stored.routesTo(taskId) && flags.routersServe(stored.version());
    }

    /**
     * The routes this step writes, versioned in the order {@link Step#write} writes them (by app
     * name), each above every version before: a router that acknowledges one has applied those
     * before it. Seeded from the clock, so that versions keep growing across a restart of the
     * scheduler even where the route holding the largest version was deleted.
     */
    private Map<String, Route> versionedRoutes() {
        Map<String, Route> versioned = new TreeMap<>();
        long next = Math.max(model.routeVersion() + 1, now.toEpochMilli());
        for (Route route : new TreeMap<>(routes).values()) {
            versioned.put(route.app(), route.withVersion(next++));
        }
        return versioned;
    }

    /** The routes of every app, and of every app with instances. */
    void routeAll() {
        Set<String> apps = new HashSet<>();
        model.apps().forEach(a -> apps.add(a.name()));
        puts.values().forEach(i -> apps.add(i.app()));
        apps.stream().sorted().forEach(this::route);
    }

    Map<String, Route> routesWritten() {
        return routes;
    }

    // ---- Crash backoffs.

    CrashBackoff crash(Slot slot) {
        if (forgiven.contains(slot)) {
            return null;
        }
        CrashBackoff changed = crashes.get(slot);
        return changed != null ? changed : model.crashes().get(slot);
    }

    void crash(Slot slot, CrashBackoff backoff) {
        forgiven.remove(slot);
        crashes.put(slot, backoff);
        effect(new Effect.SaveCrash(slot.app(), backoff));
    }

    void forgive(Slot slot) {
        crashes.remove(slot);
        forgiven.add(slot);
        effect(new Effect.ForgetCrash(slot.app(), slot.process() + "." + slot.index()));
    }

    // ---- Deployments.

    /** The app's newest deployment as this step leaves it, null when it has none. */
    Deployment deployment(String app) {
        Deployment latest = model.deployment(app);
        for (Deployment put : deployments.values()) {
            if (put.app().equals(app) && (latest == null || put.id() >= latest.id())) {
                latest = put;
            }
        }
        return latest;
    }

    /** Stores {@code deployment} (new or changed) with this step's write. */
    void deployment(Deployment deployment) {
        deployments.put(deployment.app() + "/" + deployment.id(), deployment);
    }

    /** Publishes {@code release}, a copy of an earlier one, as the app's release with this step's write. */
    void rollback(String app, int rollsBack, Release release) {
        rollbacks.add(new Step.Rollback(app, rollsBack, release));
    }

    /** The app as this step leaves it (changed in ZooKeeper meanwhile, or as the model holds it). */
    App app(String name) {
        for (int i = appsChanged.size() - 1; i >= 0; i--) {
            if (appsChanged.get(i).app().name().equals(name)) {
                return appsChanged.get(i).app();
            }
        }
        return appsDeleted.contains(name) ? null : model.app(name);
    }

    /** The app's current release as this step leaves it. */
    Release release(String name) {
        for (int i = appsChanged.size() - 1; i >= 0; i--) {
            if (appsChanged.get(i).app().name().equals(name)) {
                return appsChanged.get(i).release();
            }
        }
        return appsDeleted.contains(name) ? null : model.release(name);
    }

    // ---- Bookkeeping.

    Instant killSent(String taskId) {
        return killsForgotten.contains(taskId) ? null : killsSent.getOrDefault(taskId, model.killSent(taskId));
    }

    void killSent(String taskId, Instant at) {
        killsForgotten.remove(taskId);
        killsSent.put(taskId, at);
    }

    void forgetKill(String taskId) {
        killsSent.remove(taskId);
        killsForgotten.add(taskId);
    }

    void saw(List<Offer> offers) {
        offersSeen.addAll(offers);
    }

    void appChanged(Event.AppRead read) {
        appsChanged.add(read);
    }

    void appDeleted(String app) {
        appsDeleted.add(app);
    }

    Flags flags() {
        return flags;
    }

    void flags(Flags next) {
        flags = next;
    }

    /** The vetoes as this step leaves them. */
    Map<String, List<String>> vetoes() {
        return vetoes != null ? vetoes : model.vetoes();
    }

    void vetoes(Map<String, List<String>> next) {
        vetoes = next;
    }

    void effect(Effect effect) {
        effects.add(effect);
    }

    Step step() {
        return new Step(puts, deletes, versionedRoutes(), crashes, forgiven, killsSent, killsForgotten, offersSeen, appsChanged,
                appsDeleted, flags, vetoes, effects, List.copyOf(deployments.values()), rollbacks);
    }
}
