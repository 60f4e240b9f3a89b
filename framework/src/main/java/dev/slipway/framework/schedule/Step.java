package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.Slot;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.zk.App;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.Release;
import dev.slipway.zk.Versioned;
import java.util.function.Function;
import dev.slipway.zk.Instance;
import dev.slipway.zk.Route;
import dev.slipway.zk.StateWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;

/**
 * What the core decided on one event: the changes to the model, of which instances and routes are
 * written to ZooKeeper first as one multi ({@link #write}), and the effects to carry out after
 * that write, in order. {@code vetoes} is null when the step leaves them as they were.
 */
record Step(Map<String, Instance> puts, Set<String> deletes, Map<String, Route> routes,
            Map<Slot, CrashBackoff> crashes, Set<Slot> forgiven, Map<String, Instant> killsSent,
            Set<String> killsForgotten, List<Offer> offersSeen, List<Event.AppRead> appsChanged,
            List<String> appsDeleted, Flags flags, Map<String, List<String>> vetoes, List<Effect> effects,
            List<Deployment> deployments, List<Rollback> rollbacks) {
    /**
     * An automatic rollback: {@code release}, a copy of the last release that became healthy, made
     * the app's release in the step's write, provided the app is still at {@code rollsBack}.
     */
    record Rollback(String app, int rollsBack, Release release) {
    }

    Step {
        puts = Map.copyOf(puts);
        deletes = Set.copyOf(deletes);
        routes = Map.copyOf(routes);
        crashes = Map.copyOf(crashes);
        forgiven = Set.copyOf(forgiven);
        killsSent = Map.copyOf(killsSent);
        killsForgotten = Set.copyOf(killsForgotten);
        offersSeen = List.copyOf(offersSeen);
        appsChanged = List.copyOf(appsChanged);
        appsDeleted = List.copyOf(appsDeleted);
        vetoes = vetoes == null ? null : Map.copyOf(vetoes);
        effects = List.copyOf(effects);
        deployments = List.copyOf(deployments);
        rollbacks = List.copyOf(rollbacks);
    }

    /** Whether the step writes anything to ZooKeeper. */
    boolean writes() {
        return !puts.isEmpty() || !deletes.isEmpty() || !routes.isEmpty() || !deployments.isEmpty()
                || !rollbacks.isEmpty();
    }

    /**
     * The step's instances, routes, deployments and rollbacks as one versioned multi against what
     * {@code model} holds; {@code apps} reads an app with its version, for a rollback.
     */
    StateWrite write(StateWrite write, Model model, Function<String, Versioned<App>> apps) {
        for (Rollback rollback : rollbacks) {
            Versioned<App> app = apps.apply(rollback.app());
            if (app.value().release() != rollback.rollsBack()) {
                throw new Conflict("app " + rollback.app() + " is at v" + app.value().release() + ", not v"
                        + rollback.rollsBack() + ": its rollback is decided anew", null);
            }
            write.publishRelease(app, rollback.release());
        }
        Map<String, Boolean> firstOfApp = new TreeMap<>();
        for (Deployment deployment : deployments) {
            Deployment known = model.deployment(deployment.app());
            boolean first = known == null && firstOfApp.putIfAbsent(deployment.app(), true) == null;
            write.putDeployment(deployment, known != null && known.id() >= deployment.id(), first);
        }
        // App by app, each app's route after its instances: a write cut into several multis
        // (see StateWrite) then keeps most apps' instances and routes in one.
        Map<String, List<Runnable>> byApp = new TreeMap<>();
        puts.values().forEach(i -> byApp.computeIfAbsent(i.app(), a -> new ArrayList<>())
                .add(() -> write.putInstance(i, model.version(i.taskId()))));
        deletes.forEach(id -> byApp.computeIfAbsent(model.instance(id) == null ? "" : model.instance(id).app(),
                a -> new ArrayList<>()).add(() -> write.deleteInstance(id, model.version(id))));
        routes.values().forEach(r -> byApp.computeIfAbsent(r.app(), a -> new ArrayList<>())
                .add(() -> write.putRoute(r, model.route(r.app()) != null)));
        byApp.values().forEach(ops -> ops.forEach(Runnable::run));
        return write;
    }

    /** The effects of one type, in order: for tests. */
    <T extends Effect> List<T> effects(Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
