package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.OneOff;
import dev.slipway.framework.deploy.Slot;
import dev.slipway.framework.deploy.Wanted;
import dev.slipway.zk.App;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.Release;
import dev.slipway.zk.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-off dynos of this scheduler's term ({@code slipway run}): those asked for and not yet
 * launched, which each planning round offers to place beside the formation's launches, and the
 * deadlines of those with a time to live. Once launched, a one-off is an instance like any other
 * (stored, reconciled, killed by the same paths), except that the planner never sees it: it is not
 * part of the formation, never restarted after it ends, and never routed (only {@code web} is).
 *
 * <p>What waits here is in memory: a framework failover forgets one-offs not yet launched (and the
 * time to live of those running), as Heroku forgets a {@code run} whose client went away. Only the
 * scheduler thread touches it; {@link #decide}-time reads never change it.
 */
final class OneOffs {
    private static final Logger LOG = LoggerFactory.getLogger(OneOffs.class);
    private static final int MAX_INDEX = 9999;

    private record Asked(OneOff oneOff, Release release, Integer killGraceSeconds) {
    }

    private final Map<String, Asked> waiting = new LinkedHashMap<>();
    private final Map<String, OneOff> deadlines = new LinkedHashMap<>();
    private volatile Set<String> waitingNames = Set.of();

    private static String key(String app, String name) {
        return app + " " + name;
    }

    // ---- On the scheduler thread, outside of a step.

    /** Takes a request for a one-off of {@code app}, naming it {@code run.N} with an N no instance of the app has. */
    OneOff ask(Model model, String app, String command, Map<String, String> env, Size size, long ttl, Instant now) {
        App read = model.app(app);
        if (read == null) {
            throw new NotFound("there is no app '" + app + "'");
        }
        Release release = running(model, read);
        if (release == null) {
            throw new Conflict("app '" + app + "' has no release yet, so there is nothing to run: deploy it first");
        }
        Set<Integer> taken = model.instancesOf(app).stream().filter(OneOff::is).map(Instance::index)
                .collect(Collectors.toSet());
        waiting.values().stream().filter(a -> a.oneOff().app().equals(app)).forEach(a -> taken.add(a.oneOff().index()));
        int index;
        do {
            index = ThreadLocalRandom.current().nextInt(1000, MAX_INDEX + 1);
        } while (taken.contains(index));
        OneOff oneOff = new OneOff(app, index, command, release.version(), env, size != null ? size
                : read.sizeOf("web"), ttl, now);
        waiting.put(key(app, oneOff.name()), new Asked(oneOff, release, read.killGraceSeconds()));
        if (oneOff.deadline() != null) {
            deadlines.put(key(app, oneOff.name()), oneOff);
        }
        publish();
        LOG.info("{} {} v{}: one-off dyno asked for", app, oneOff.name(), release.version());
        return oneOff;
    }

    /** Forgets a one-off that waits; false when none such waits. */
    boolean cancel(String app, String name) {
        boolean was = waiting.remove(key(app, name)) != null;
        deadlines.remove(key(app, name));
        publish();
        return was;
    }

    /** After a step is stored: forgets the waiting one-offs now launched, and deadlines of ended ones. */
    void stored(Model model) {
        boolean changed = waiting.keySet().removeIf(k -> launched(model, waiting.get(k).oneOff()));
        changed |= waiting.keySet().removeIf(k -> model.app(waiting.get(k).oneOff().app()) == null);
        deadlines.entrySet().removeIf(e -> !waiting.containsKey(e.getKey())
                && model.instancesOf(e.getValue().app()).stream()
                .noneMatch(i -> OneOff.is(i) && i.index() == e.getValue().index() && !i.state().gone()));
        if (changed) {
            publish();
        }
    }

    boolean pending(String app, String name) {
        return waitingNames.contains(key(app, name));
    }

    private void publish() {
        waitingNames = Set.copyOf(waiting.keySet());
    }

    private static boolean launched(Model model, OneOff oneOff) {
        return model.instancesOf(oneOff.app()).stream().anyMatch(i -> OneOff.is(i) && i.index() == oneOff.index());
    }

    /** The app's running release (the last that became healthy), else its current one; null before its first. */
    private static Release running(Model model, App app) {
        Release current = model.release(app.name());
        Deployment latest = model.deployment(app.name());
        if (latest != null && latest.running() != 0) {
            Release kept = model.kept(app.name(), latest.running());
            if (kept != null) {
                return kept;
            }
        }
        return current;
    }

    // ---- Reads within a step.

    /** The one-offs to launch: those waiting that have no instance yet, as this step leaves them. */
    List<Wanted> wanted(Draft d) {
        List<Wanted> wanted = new ArrayList<>();
        for (Asked asked : waiting.values()) {
            OneOff oneOff = asked.oneOff();
            if (d.app(oneOff.app()) == null || (oneOff.deadline() != null && !oneOff.deadline().isAfter(d.now))) {
                continue;
            }
            boolean placed = d.instancesOf(oneOff.app()).stream()
                    .anyMatch(i -> OneOff.is(i) && i.index() == oneOff.index());
            if (!placed) {
                wanted.add(new Wanted(new Slot(oneOff.app(), OneOff.TYPE, oneOff.index()), asked.release(),
                        asked.killGraceSeconds(), oneOff.size(), 0, oneOff));
            }
        }
        return wanted;
    }

    /** Stops the running one-offs whose time to live ran out (out of no route: they have none). */
    void tick(Draft d) {
        for (OneOff oneOff : deadlines.values()) {
            if (oneOff.deadline().isAfter(d.now)) {
                continue;
            }
            for (Instance instance : d.instancesOf(oneOff.app())) {
                if (OneOff.is(instance) && instance.index() == oneOff.index() && !instance.state().gone()
                        && instance.state() != InstanceState.KILLING) {
                    d.put(instance, instance.with(InstanceState.KILLING, false, "stopping: its time to live of "
                            + oneOff.timeToLiveSeconds() + " s ran out", d.now));
                    LOG.info("{} {} v{} (task {}): stopping, its time to live ran out", instance.app(),
                            instance.name(), instance.release(), instance.taskId());
                }
            }
        }
    }

    /** Stops the one-off {@code name} of {@code app} when it runs (its kill goes out a drain period later). */
    static void stop(Draft d, String app, String name) {
        for (Instance instance : d.instancesOf(app)) {
            if (OneOff.is(instance) && instance.name().equals(name) && !instance.state().gone()
                    && instance.state() != InstanceState.KILLING) {
                d.put(instance, instance.with(InstanceState.KILLING, false, "stopping: asked to", d.now));
                LOG.info("{} {} v{} (task {}): stopping, as asked", app, name, instance.release(), instance.taskId());
            }
        }
    }
}
