package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.AppState;
import dev.slipway.framework.deploy.Slot;
import dev.slipway.zk.App;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.DeploymentState;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's decisions about deployments, on a {@link Draft}: every new release of an app begins
 * one (whoever made the release: a build, a config change, a rollback), which is superseded by a
 * newer one, succeeds once every slot of the formation is ready on its release and nothing else
 * runs, and otherwise fails: at its timeout, or at once when every slot of its release has
 * crashed with none ever ready: at the first crash when the app's process exited on its own
 * ({@value #APP_EXIT}N), after {@value #FAIL_FAST_CRASHES} in a row otherwise (a launch lost,
 * an executor or agent gone: Mesos's faults, which the next launch may not meet). A failed deployment
 * is rolled back on its own to the release that last became healthy, as a new release copying
 * that one's slug and config ("Rollback to v3 (v4 failed: ...)"). After it succeeded, a watch
 * window rolls it back the same way when its instances crash-loop or fail their health checks.
 * Pure, as {@link Core}.
 */
final class Deployments {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** How long after a deployment succeeded a crash loop or a failed health check still rolls it back. */
    static final Duration WATCH = Duration.ofSeconds(60);
    /** Crashes in a row of every slot, none ever ready, after which a deployment fails at once. */
    static final int FAIL_FAST_CRASHES = 3;
    /**
     * How the executor reports the app's process exiting on its own ({@code exited with code 127}):
     * a release that cannot run, failed at the first such crash of every slot.
     */
    static final String APP_EXIT = "exited with code ";
    /** Crashes in a row of one slot within the watch window that roll the deployment back. */
    static final int WATCH_CRASHES = 2;
    /**
     * How long a ready web instance waits for the routers to serve it before it counts as up all the
     * same: a router that does not acknowledge (its ZooKeeper session lost, say) holds no deployment
     * longer, as it holds a drain no longer than its timeout.
     */
    static final Duration ROUTED_WITHIN = Duration.ofSeconds(10);

    private Deployments() {
    }

    /**
     * The app changed in ZooKeeper: a release newer than its newest deployment's begins one,
     * superseding a deployment still under way. {@code before} is the app as the model held it
     * (null for an app created since it was loaded).
     */
    static void released(Draft d, App before, Event.AppRead read) {
        if (read.release() == null) {
            return;
        }
        String name = read.app().name();
        int to = read.release().version();
        Deployment latest = d.deployment(name);
        int from = before == null ? 0 : before.release();
        if (latest == null ? from == to : latest.to() >= to) {
            return;
        }
        begin(d, read.app(), latest, latest == null ? from : latest.to(), to);
    }

    private static void begin(Draft d, App app, Deployment latest, int from, int to) {
        int fallback = latest == null ? from : latest.running();
        if (latest != null && latest.active()) {
            d.deployment(latest.ended(DeploymentState.SUPERSEDED, "superseded by v" + to, d.now));
            LOG.info("{} deployment of v{} superseded by v{}", app.name(), latest.to(), to);
        }
        d.deployment(Deployment.begin(app.name(), from, to, fallback, false, "", app.deployTimeoutSecondsOrDefault(),
                d.now));
        d.effect(new Effect.PruneDeployments(app.name()));
        LOG.info("{} deployment of v{} begins (running release v{})", app.name(), to, fallback);
    }

    /**
     * Moves each deployment under way (or watched) on: its progress, its success, its failure at
     * its timeout or when every slot crash-loops; and begins the deployment of a release made while
     * no scheduler ran. {@code all} looks at every app (a planning round), else at those with a
     * deployment under way or watched.
     */
    static void review(Draft d, boolean all) {
        List<String> names = new ArrayList<>();
        if (all) {
            d.model.apps().forEach(a -> names.add(a.name()));
        } else {
            d.model.deployments().stream().filter(dep -> dep.active() || dep.watched(d.now)
                    || dep.state() == DeploymentState.FAILED).forEach(dep -> names.add(dep.app()));
        }
        for (String name : names) {
            App app = d.app(name);
            Release release = d.release(name);
            Deployment deployment = d.deployment(name);
            if (app == null || release == null) {
                continue;
            }
            if (deployment == null) {
                // Deployed before deployments were recorded, or before the model was loaded: its
                // release is followed from here on, with nothing known to roll back to.
                begin(d, app, null, 0, release.version());
                deployment = d.deployment(name);
            } else if (deployment.to() < release.version()) {
                begin(d, app, deployment, deployment.to(), release.version());
                deployment = d.deployment(name);
            }
            if (deployment != null && deployment.active() && deployment.to() == release.version()) {
                advance(d, app, release, deployment);
            } else if (deployment != null && deployment.state() == DeploymentState.FAILED
                    && deployment.to() == release.version()) {
                recovered(d, app, release, deployment);
            }
        }
    }

    /**
     * A failed deployment with nothing rolled back (a first release, an automatic rollback) whose
     * release became ready after all, as its slots kept trying: it succeeded late, and its release
     * is the running one.
     */
    private static void recovered(Draft d, App app, Release release, Deployment deployment) {
        Progress progress = progress(d, app, release);
        if (progress.done()) {
            d.deployment(deployment.succeeded(progress.summary(), d.now, d.now));
            LOG.info("{} deployment of v{} succeeded after it had failed: {}", app.name(), release.version(),
                    progress.summary());
        }
    }

    private static void advance(Draft d, App app, Release release, Deployment deployment) {
        Progress progress = progress(d, app, release);
        if (progress.done()) {
            d.deployment(deployment.succeeded(progress.summary(), d.now, d.now.plus(WATCH)));
            LOG.info("{} deployment of v{} succeeded: {}", app.name(), release.version(), progress.summary());
            return;
        }
        if (crashLooping(d, app, release)) {
            fail(d, app, release, deployment, "every instance crashed before any became healthy: "
                    + whyNotReady(d, app, release));
        } else if (!d.now.isBefore(deployment.createdAt().plusSeconds(deployment.timeoutSeconds()))) {
            fail(d, app, release, deployment, "not healthy within " + deployment.timeoutSeconds() + " s: "
                    + whyNotReady(d, app, release));
        } else {
            DeploymentState state = progress.started() ? DeploymentState.IN_PROGRESS : DeploymentState.PENDING;
            Deployment next = deployment.advanced(state, progress.summary(), d.now);
            if (next != deployment) {
                d.deployment(next);
            }
        }
    }

    /**
     * An instance changed in a status update: within a succeeded deployment's watch window, one of
     * its release's instances crashing {@value #WATCH_CRASHES} times in a row or failing its health
     * check after passing it rolls the deployment back.
     */
    static void instanceChanged(Draft d, Instance before, Instance after) {
        Deployment deployment = d.deployment(after.app());
        if (deployment == null || !deployment.watched(d.now) || after.release() != deployment.to()) {
            return;
        }
        App app = d.app(after.app());
        Release release = d.release(after.app());
        if (app == null || release == null || release.version() != deployment.to()) {
            return;
        }
        CrashBackoff crash = d.crash(Slot.of(after));
        String why = null;
        if (after.state().terminal() && crash != null && crash.release() == deployment.to()
                && crash.crashes() >= WATCH_CRASHES && !crash.notBefore().isBefore(deployment.finishedAt())) {
            why = after.name() + " crashed " + crash.crashes() + " times within " + WATCH.toSeconds()
                    + " s of the cutover: " + crash.lastExit();
        } else if (before.healthy() && !after.healthy() && after.state() == InstanceState.RUNNING) {
            why = after.name() + " failed its health check within " + WATCH.toSeconds() + " s of the cutover"
                    + (after.message().isEmpty() ? "" : ": " + after.message());
        }
        if (why != null) {
            fail(d, app, release, deployment, why);
        }
    }

    /**
     * Ends the deployment: rolled back (a new release copying the last healthy one) when there is
     * one to return to and it is not itself an automatic rollback, else failed.
     */
    private static void fail(Draft d, App app, Release release, Deployment deployment, String why) {
        Release fallback = deployment.fallback() == 0 ? null : d.model.kept(app.name(), deployment.fallback());
        if (deployment.automatic() || fallback == null) {
            String end = deployment.automatic() ? "; an automatic rollback is not rolled back again"
                    : deployment.fallback() == 0 ? "; no earlier release became healthy to roll back to"
                    : "; release v" + deployment.fallback() + " to roll back to is not in memory";
            d.deployment(deployment.ended(DeploymentState.FAILED, why + end, d.now));
            d.effect(new Effect.Tell(app.name(), "slipway", "Deployment of v" + release.version() + " failed: " + why));
            LOG.warn("{} deployment of v{} failed: {}{}", app.name(), release.version(), why, end);
            return;
        }
        int version = release.version() + 1;
        String description = "Rollback to v" + fallback.version() + " (v" + release.version() + " failed: " + why
                + ")";
        Release copy = fallback.copiedAs(version, description, d.now);
        d.deployment(deployment.ended(DeploymentState.ROLLED_BACK, why + "; rolled back to v" + fallback.version()
                + " as v" + version, d.now));
        d.rollback(app.name(), release.version(), copy);
        d.deployment(Deployment.begin(app.name(), release.version(), version, deployment.fallback(), true,
                description, app.deployTimeoutSecondsOrDefault(), d.now));
        d.effect(new Effect.Tell(app.name(), "slipway", description));
        LOG.warn("{} deployment of v{} failed ({}): rolling back to v{} as v{}", app.name(), release.version(), why,
                fallback.version(), version);
    }

    /**
     * Whether every wanted slot of the release has crashed, none ever ready: its process exited on
     * its own, or it crashed {@value #FAIL_FAST_CRASHES} times in a row.
     */
    private static boolean crashLooping(Draft d, App app, Release release) {
        List<Slot> slots = slots(app, release);
        return !slots.isEmpty() && slots.stream().allMatch(slot -> {
            CrashBackoff crash = d.crash(slot);
            return crash != null && crash.release() == release.version() && crash.readySince() == null
                    && (crash.crashes() >= FAIL_FAST_CRASHES || crash.lastExit().startsWith(APP_EXIT));
        });
    }

    /** Why each slot of the release that is not ready is not: its crash, its health check, its state, its vetoes. */
    static String whyNotReady(Draft d, App app, Release release) {
        List<String> reasons = new ArrayList<>();
        List<Instance> instances = d.instancesOf(app.name());
        for (Slot slot : slots(app, release)) {
            String name = slot.process() + "." + slot.index();
            Instance current = instances.stream().filter(i -> Slot.of(i).equals(slot)
                    && i.release() == release.version() && !i.state().gone()).findFirst().orElse(null);
            if (current != null && ready(d, current)) {
                continue;
            }
            CrashBackoff crash = d.crash(slot);
            List<String> vetoes = d.vetoes().get(slot.toString());
            if (crash != null && crash.release() == release.version()) {
                reasons.add(name + " crashed: " + crash.lastExit()
                        + (crash.crashes() > 1 ? " (" + crash.crashes() + " times in a row)" : ""));
            } else if (current != null && current.state() == InstanceState.RUNNING && current.healthy()) {
                reasons.add(name + " healthy, not yet served by every router");
            } else if (current != null && current.state() == InstanceState.RUNNING) {
                reasons.add(name + " not healthy" + (current.message().isEmpty() ? "" : ": " + current.message()));
            } else if (current != null) {
                reasons.add(name + " " + current.state().name().toLowerCase(Locale.ROOT)
                        + (current.message().isEmpty() ? "" : ": " + current.message()));
            } else if (vetoes != null && !vetoes.isEmpty()) {
                reasons.add(name + " pending: " + String.join("; ", vetoes));
            } else {
                reasons.add(name + " not launched yet");
            }
        }
        return reasons.isEmpty() ? "instances of other releases still run" : String.join("; ", reasons);
    }

    private static List<Slot> slots(App app, Release release) {
        AppState state = new AppState(app, release);
        List<Slot> slots = new ArrayList<>();
        new TreeMap<>(release.processTypes()).keySet().forEach(type -> {
            for (int index = 1; index <= state.wanted(type); index++) {
                slots.add(new Slot(app.name(), type, index));
            }
        });
        return slots;
    }

    /** How far a release has come: {@code 2/3 web up}, whether it is done and whether any instance of it exists. */
    record Progress(String summary, boolean done, boolean started) {
    }

    static Progress progress(Draft d, App app, Release release) {
        AppState state = new AppState(app, release);
        Map<String, int[]> counts = new TreeMap<>();
        release.processTypes().keySet().forEach(type -> {
            if (state.wanted(type) > 0) {
                counts.put(type, new int[] {0, state.wanted(type)});
            }
        });
        int old = 0;
        boolean started = false;
        for (Instance instance : d.instancesOf(app.name())) {
            // A one-off dyno runs the release it was started with until its command ends: no deployment waits for it.
            if (instance.state().gone() || dev.slipway.framework.deploy.OneOff.is(instance)) {
                continue;
            }
            int[] count = counts.get(instance.process());
            if (instance.release() != release.version() || count == null || instance.index() > count[1]) {
                old++;
            } else {
                started = true;
                if (ready(d, instance)) {
                    count[0]++;
                }
            }
        }
        boolean done = old == 0;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, int[]> count : counts.entrySet()) {
            int up = Math.min(count.getValue()[0], count.getValue()[1]);
            done &= up == count.getValue()[1];
            parts.add(up + "/" + count.getValue()[1] + " " + count.getKey() + " up");
        }
        String summary = parts.isEmpty() ? "no instances wanted" : parts.stream().collect(Collectors.joining(", "));
        if (old > 0) {
            summary += ", " + old + " old instance" + (old == 1 ? "" : "s") + " to stop";
        }
        return new Progress(summary, done, started);
    }

    /**
     * Running, and for a web instance healthy and served by the routers: a deployment that says it
     * succeeded has its app answering through every router (or {@link #ROUTED_WITHIN} passed).
     */
    private static boolean ready(Draft d, Instance instance) {
        if (instance.state() != InstanceState.RUNNING) {
            return false;
        }
        if (!"web".equals(instance.process())) {
            return true;
        }
        return instance.healthy() && (d.routersServe(instance.app(), instance.taskId())
                || !instance.updatedAt().plus(ROUTED_WITHIN).isAfter(d.now));
    }
}
