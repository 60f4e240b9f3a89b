package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.AppState;
import dev.slipway.framework.deploy.InPlace;
import dev.slipway.framework.deploy.LaunchFactory;
import dev.slipway.framework.deploy.OneOff;
import dev.slipway.framework.deploy.Plan;
import dev.slipway.framework.deploy.Planner;
import dev.slipway.framework.deploy.Slot;
import dev.slipway.framework.deploy.Wanted;
import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.framework.offer.Demand;
import dev.slipway.framework.offer.Match;
import dev.slipway.framework.offer.OfferMatcher;
import dev.slipway.framework.offer.Placement;
import dev.slipway.framework.offer.Running;
import dev.slipway.framework.task.TaskStateMachine;
import dev.slipway.zk.App;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Release;
import dev.slipway.zk.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's decisions, as one function from the model and an event to a {@link Step}: the
 * changes to store and the effects to carry out, as data. No I/O and no clock of its own (the
 * time comes with each call): the {@link Scheduler} stores the step's write, applies it to the
 * model and carries out its effects, in that order, which keeps the guarantees of docs/scheduling.md
 * (stored before accepted, acknowledged only once stored, out of the routes before killed). Its
 * only outputs besides the step are log lines for operators.
 */
final class Core {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    static final Duration KILL_RETRY = Duration.ofSeconds(30);
    static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(3);
    static final Duration KEEP_ENDED = Duration.ofMinutes(10);
    static final double REFUSE_WHEN_IDLE_SECONDS = 30;
    static final double REFUSE_WHEN_WAITING_SECONDS = 1;

    private final LaunchFactory launches;
    private final OneOffs oneOffs;
    private final Duration drainTimeout;

    Core(LaunchFactory launches) {
        this(launches, new OneOffs());
    }

    /** A core that launches the one-offs {@code oneOffs} holds besides the formation. */
    Core(LaunchFactory launches, OneOffs oneOffs) {
        this(launches, oneOffs, launches.drainTimeout());
    }

    Core(LaunchFactory launches, Duration drainTimeout) {
        this(launches, new OneOffs(), drainTimeout);
    }

    Core(LaunchFactory launches, OneOffs oneOffs, Duration drainTimeout) {
        this.launches = launches;
        this.oneOffs = oneOffs;
        this.drainTimeout = drainTimeout;
    }

    /** What to do on {@code event} at {@code now}, given {@code model}; {@code model} is left as it is. */
    Step decide(Model model, Event event, Instant now) {
        Draft draft = new Draft(model, now);
        if (event instanceof Event.Subscribed e) {
            subscribed(draft, e.frameworkId());
        } else if (event instanceof Event.Offers e) {
            offers(draft, e.offers());
        } else if (event instanceof Event.Updates e) {
            e.updates().forEach(u -> update(draft, u));
        } else if (event instanceof Event.Tick) {
            tick(draft);
        } else if (event instanceof Event.AppsChanged e) {
            e.changed().forEach(read -> appChanged(draft, read));
            e.deleted().forEach(draft::appDeleted);
            e.deleted().forEach(app -> destroyed(draft, app));
        } else if (event instanceof Event.Removed e) {
            removed(draft, e.frameworkId(), e.message());
        } else if (event instanceof Event.Unsubscribed) {
            draft.flags(draft.flags().withSubscribed(false));
        } else if (event instanceof Event.LaunchesNotSent e) {
            notSent(draft, e.taskIds());
        } else if (event instanceof Event.StopOneOff e) {
            OneOffs.stop(draft, e.app(), e.name());
        } else if (event instanceof Event.RoutersAcked e) {
            draft.flags(draft.flags().withRouters(e.acks()));
            draft.instances().stream().filter(i -> i.state() == InstanceState.KILLING)
                    .forEach(i -> sendKillWhenDrained(draft, i));
        } else if (event instanceof Event.Rescinded e) {
            // Nothing is held for an offer between rounds: each round answers all of its offers.
            LOG.debug("offer {} rescinded", e.offerId());
        }
        Deployments.review(draft, event instanceof Event.Tick);
        return draft.step();
    }

    /**
     * An app changed in ZooKeeper. A process type given another size starts its crash count
     * anew, as a new release does: a slot that crashed for want of memory is not kept waiting
     * once it has more.
     */
    private static void appChanged(Draft d, Event.AppRead read) {
        App before = d.model.app(read.app().name());
        if (before != null) {
            List.copyOf(d.model.crashes().keySet()).stream()
                    .filter(slot -> slot.app().equals(before.name()))
                    .filter(slot -> !Objects.equals(before.sizeOf(slot.process()), read.app().sizeOf(slot.process())))
                    .forEach(d::forgive);
        }
        d.appChanged(read);
        if (before != null && (!before.domains().equals(read.app().domains())
                || before.httpsOnly() != read.app().httpsOnly())) {
            // A domain added or removed, or https-only switched, is in the route with this step's write,
            // not a tick later.
            d.route(read.app().name());
        }
        Deployments.released(d, before, read);
    }

    // ---- Subscription.

    /**
     * A new subscription: the id is stored, offers are unsuppressed (as Mesos sees a new
     * subscription), and every task believed live is reconciled explicitly (then implicitly, once
     * all are answered: see {@link Reconciliation}).
     */
    private void subscribed(Draft d, String frameworkId) {
        d.effect(new Effect.SaveFrameworkId(frameworkId));
        Map<String, String> live = new TreeMap<>();
        d.model.instances().stream().filter(i -> !i.state().terminal() && !i.agentId().isEmpty())
                .forEach(i -> live.put(i.taskId(), i.agentId()));
        LOG.info("reconciling {} known instances with Mesos", live.size());
        Reconciliation reconciliation = Reconciliation.begin(live, d.now);
        if (live.isEmpty()) {
            d.effect(new Effect.Reconcile(List.of()));
            reconciliation = reconciliation.implicitAsked(d.now);
        } else {
            d.effect(new Effect.Reconcile(reconciliation.pendingRefs()));
        }
        d.flags(new Flags(true, false, false, reconciliation, d.flags().lastOrphanSweep(), d.flags().routers()));
    }

    /**
     * The master removed the framework: Mesos killed its tasks. Every instance still listed as live
     * is marked lost (taking it out of the routes), then the stored id is forgotten, in that order,
     * so that a restart in between never finds live instances without an id. The planner launches
     * every app's formation again once the new registration gets offers.
     */
    private void removed(Draft d, String frameworkId, String message) {
        List<Instance> live = d.model.instances().stream().filter(i -> !i.state().gone()).toList();
        for (Instance instance : live) {
            d.put(instance, instance.with(InstanceState.LOST, false,
                    "Mesos removed framework " + frameworkId + " (" + message + ")", d.now));
            d.forgetKill(instance.taskId());
        }
        d.routeAll();
        d.effect(new Effect.ForgetFrameworkId());
        d.flags(d.flags().withSubscribed(false));
        LOG.warn("Mesos removed framework {} ({}): {} instance(s) were killed with it and are marked lost;"
                + " registering as a new framework and launching every app's instances again", frameworkId, message,
                live.size());
    }

    // ---- Offers.

    /** Places what waits to launch on {@code offers}; every offer is accepted or declined. */
    private void offers(Draft d, List<Offer> offers) {
        List<Instance> known = d.instances();
        Plan plan = plan(d, known);
        // A container of an ended task that is still there is an orphan, maybe on the very port
        // offered now: the new instance's executor removes it first.
        List<String> ended = known.stream().filter(i -> i.state().terminal()).map(Instance::taskId).sorted().toList();
        Map<String, Wanted> bySlot = new LinkedHashMap<>();
        List<Demand> demands = new ArrayList<>();
        for (Wanted wanted : plan.launches()) {
            App app = d.model.app(wanted.slot().app());
            Demand demand = launches.demand(wanted, app == null ? List.of() : app.constraintsOf(wanted.slot().process()));
            bySlot.put(demand.key(), wanted);
            demands.add(demand);
        }
        d.saw(offers);
        Running running = d.model.running().plus(offers);
        Match match = OfferMatcher.match(demands, offers, running.byGroup(known));
        Map<Offer, List<Launch>> byOffer = new LinkedHashMap<>();
        for (Placement placement : match.placements()) {
            Wanted wanted = bySlot.get(placement.demand().key());
            String taskId = LaunchFactory.taskId(wanted);
            Instance launched = launches.instance(taskId, wanted, placement, d.now);
            d.put(null, launched);
            byOffer.computeIfAbsent(placement.offer(), o -> new ArrayList<>())
                    .add(launches.launch(taskId, wanted, placement, d.now, ended));
            LOG.info("launching {} v{} as task {} on {}", wanted.slot(), wanted.release().version(), taskId,
                    placement.offer().hostname());
            d.effect(new Effect.Tell(wanted.slot().app(), wanted.slot().process() + "." + wanted.slot().index(),
                    "Starting process with command `" + wanted.command() + "`"));
        }
        d.vetoes(replaceInPlace(d, match, demands, bySlot, running));
        List<String> unused = new ArrayList<>(offers.stream().map(Offer::id).toList());
        byOffer.forEach((offer, list) -> {
            d.effect(new Effect.Accept(offer.id(), offer.agentId(), list));
            unused.remove(offer.id());
        });
        boolean waiting = !match.vetoes().isEmpty();
        d.flags(d.flags().withOffers(waiting, d.flags().suppressed()));
        if (!unused.isEmpty()) {
            d.effect(new Effect.Decline(unused, waiting ? REFUSE_WHEN_WAITING_SECONDS : REFUSE_WHEN_IDLE_SECONDS));
        }
    }

    /**
     * A rolling deploy that constraints leave no room for stops an old instance first (see
     * {@link InPlace}); returns the round's vetoes, saying so where it does.
     */
    private Map<String, List<String>> replaceInPlace(Draft d, Match match, List<Demand> demands,
                                                     Map<String, Wanted> bySlot, Running running) {
        Map<String, List<String>> annotated = new LinkedHashMap<>(match.vetoes());
        if (match.constrained().isEmpty()) {
            return annotated;
        }
        Map<String, Demand> byKey = new HashMap<>();
        demands.forEach(demand -> byKey.put(demand.key(), demand));
        List<Instance> concerned = match.constrained().stream().map(key -> bySlot.get(key).slot().app()).distinct()
                .flatMap(app -> d.instancesOf(app).stream()).toList();
        for (Instance old : InPlace.toStop(match.constrained(), byKey, bySlot, concerned, running::agentOf)) {
            String key = Slot.of(old).toString();
            String why = annotated.getOrDefault(key, List.of()).stream().findFirst().orElse("");
            // It leaves the routes with this step's write, a drain period before the tick sends its kill.
            d.put(old, old.with(InstanceState.KILLING, false, "stopping: replaced in place (" + why + ")", d.now));
            d.route(old.app());
            annotated.put(key, List.of(why + "; replacing v" + old.release() + " in place, old instance first"));
            LOG.info("{} {} v{} (task {}): stopping first, to replace it in place: {}", old.app(), old.name(),
                    old.release(), old.taskId(), why);
        }
        return annotated;
    }

    /** Launches stored but never sent are lost now, without counting as crashes: the next round places them again. */
    private static void notSent(Draft d, List<String> taskIds) {
        for (String taskId : taskIds) {
            Instance instance = d.instance(taskId);
            if (instance != null && instance.state() == InstanceState.LAUNCHING) {
                d.put(instance, instance.with(InstanceState.LOST, false, "the launch was never sent to Mesos", d.now));
            }
        }
    }

    // ---- Status updates.

    /**
     * A task's status update: the instance and its app's route change together, and the update is
     * acknowledged after that write (an effect), so that one not stored is sent again by Mesos.
     */
    private void update(Draft d, TaskUpdate update) {
        d.flags(d.flags().with(d.flags().reconciliation().heardOf(update.taskId())));
        Instance instance = d.instance(update.taskId());
        if (instance == null) {
            if (!update.state().terminal()) {
                LOG.warn("Mesos runs task {} that Slipway does not know: killing it", update.taskId());
                // No app to ask: the task keeps the grace it was launched with.
                d.effect(new Effect.Kill(update.taskId(), update.agentId(), null));
            }
        } else {
            Instance next = TaskStateMachine.apply(instance, update, d.now);
            if (!next.equals(instance)) {
                d.put(instance, next);
                d.route(next.app());
                logChange(instance, next);
                // A one-off is never restarted: its end is no crash, and no deployment waits for it.
                if (!OneOff.is(next)) {
                    noteOutcome(d, instance, next);
                    Deployments.instanceChanged(d, instance, next);
                }
            }
        }
        if (update.needsAcknowledgement()) {
            d.effect(new Effect.Acknowledge(update.agentId(), update.taskId(), update.uuid()));
        }
        if (update.state().terminal()) {
            d.forgetKill(update.taskId());
        }
    }

    private static void logChange(Instance before, Instance after) {
        if (before.state() != after.state() || before.healthy() != after.healthy()) {
            LOG.info("{} {} v{} (task {}): {} -> {}{}{}", after.app(), after.name(), after.release(), after.taskId(),
                    before.state(), after.state(), after.healthy() ? ", healthy" : "",
                    after.message().isEmpty() ? "" : " (" + after.message() + ")");
        }
    }

    /** Counts a crash or a ready instance in the slot's backoff, stored before the next launch decision. */
    private static void noteOutcome(Draft d, Instance before, Instance after) {
        Slot slot = Slot.of(after);
        if (after.healthy() || (after.state() == InstanceState.RUNNING && !"web".equals(after.process()))) {
            Backoff.ready(d.crash(slot), after.release(), d.now).ifPresent(b -> d.crash(slot, b));
        }
        if (after.state().terminal() && before.state() != InstanceState.KILLING
                && after.state() != InstanceState.FINISHED) {
            crashed(d, after);
            LOG.info("{} {} v{} (task {}) ended unasked: its next launch waits {} ms", after.app(), after.name(),
                    after.release(), after.taskId(), Backoff.wait(d.crash(slot), d.now).toMillis());
        }
    }

    private static void crashed(Draft d, Instance instance) {
        Slot slot = Slot.of(instance);
        if (d.model.app(instance.app()) != null) {
            d.crash(slot, Backoff.failed(d.crash(slot), slot, instance.release(), instance.message(), d.now));
        }
    }

    // ---- Planning rounds.

    /** One planning round: stop what should stop, expire what Mesos lost, publish routes, ask for offers. */
    private void tick(Draft d) {
        Instant now = d.now;
        List.copyOf(d.model.crashes().entrySet()).forEach(e -> {
            if (Backoff.healed(e.getValue(), now)) {
                d.forgive(e.getKey());
            }
        });
        Plan plan = plan(d, d.instances());
        oneOffs.tick(d);
        d.instances().stream().map(Instance::app).distinct().filter(app -> d.model.app(app) == null).toList()
                .forEach(app -> destroyed(d, app));
        for (Instance victim : plan.kills()) {
            d.put(victim, victim.with(InstanceState.KILLING, false, "stopping", now));
            LOG.info("{} {} v{} (task {}): stopping", victim.app(), victim.name(), victim.release(), victim.taskId());
        }
        for (Instance instance : d.instances()) {
            if (instance.state() == InstanceState.KILLING) {
                sendKillWhenDrained(d, instance);
            } else if (instance.state() == InstanceState.LAUNCHING
                    && instance.updatedAt().plus(LAUNCH_TIMEOUT).isBefore(now)) {
                Instance lost = instance.with(InstanceState.LOST, false, "Mesos never reported the launch", now);
                d.put(instance, lost);
                crashed(d, lost);
            } else if (instance.state().gone() && instance.updatedAt().plus(KEEP_ENDED).isBefore(now)) {
                d.delete(instance.taskId());
            }
        }
        // Stopping instances leave the routes with this step's write; their kill goes out once the routers say so.
        d.routeAll();
        if (!d.flags().subscribed()) {
            return;
        }
        askForOffersAsNeeded(d, plan);
        reconcile(d);
        if (!d.flags().lastOrphanSweep().plus(OrphanSweep.INTERVAL).isAfter(now)) {
            // The model holds every launch made before now.
            List<OrphanSweep.Message> sweep = OrphanSweep.messages(d.instances(), now);
            LOG.debug("orphan sweep: telling {} executor(s) which tasks are live", sweep.size());
            sweep.forEach(m -> d.effect(new Effect.Message(m.agentId(), m.executorId(), m.data())));
            d.flags(d.flags().withOrphanSweep(now));
        }
    }

    /**
     * The instances of an app that no longer exists (destroyed): the live ones stop (out of the
     * routes with this step's write, killed a drain period later), the ended ones are forgotten at
     * once, so that nothing of the app is left in ZooKeeper once its last instance has ended.
     */
    private static void destroyed(Draft d, String app) {
        List<Instance> instances = d.instancesOf(app);
        for (Instance instance : instances) {
            if (instance.state().gone()) {
                d.delete(instance.taskId());
            } else if (instance.state() != InstanceState.KILLING) {
                d.put(instance, instance.with(InstanceState.KILLING, false, "stopping: app destroyed", d.now));
                LOG.info("{} {} v{} (task {}): stopping, its app was destroyed", instance.app(), instance.name(),
                        instance.release(), instance.taskId());
            }
        }
        if (!instances.isEmpty()) {
            // An app with no instance left has no route to write: the API removes its node.
            d.route(app);
        }
    }

    /** Asks again about tasks Mesos has not answered for, with a growing wait; then implicitly, periodically. */
    private static void reconcile(Draft d) {
        Reconciliation r = d.flags().reconciliation();
        if (r.retryDue(d.now)) {
            LOG.info("asking Mesos again about {} task(s) it has not answered for (attempt {})", r.pending().size(),
                    r.attempts() + 1);
            d.effect(new Effect.Reconcile(r.pendingRefs()));
            d.flags(d.flags().with(r.retried(d.now)));
        } else if (r.implicitDue(d.now)) {
            d.effect(new Effect.Reconcile(List.of()));
            d.flags(d.flags().with(r.implicitAsked(d.now)));
        }
    }

    /**
     * Offers are wanted only while something waits to launch: REVIVE when a launch appears (which
     * also clears decline filters), SUPPRESS once nothing waits, so an idle framework costs the
     * master nothing.
     */
    private static void askForOffersAsNeeded(Draft d, Plan plan) {
        Flags flags = d.flags();
        if (!plan.launches().isEmpty() && (!flags.waitingForOffers() || flags.suppressed())) {
            d.flags(flags.withOffers(true, false));
            d.effect(new Effect.Revive());
        } else if (plan.launches().isEmpty() && !flags.suppressed()) {
            d.flags(flags.withOffers(false, true));
            d.vetoes(Map.of());
            d.effect(new Effect.Suppress());
        }
    }

    /**
     * Kills with the app's current grace, not the one the instance was launched with, so that a
     * changed setting applies to running instances too; null (the app is gone) keeps the launch's.
     * A retried kill can only shorten a grace already running: the executor never extends one.
     */
    private void sendKillWhenDrained(Draft d, Instance instance) {
        Instant sent = d.killSent(instance.taskId());
        if (drained(d, instance) && (sent == null || sent.plus(KILL_RETRY).isBefore(d.now))) {
            App app = d.model.app(instance.app());
            d.killSent(instance.taskId(), d.now);
            d.effect(new Effect.Kill(instance.taskId(), instance.agentId(), app == null ? null : launches.killGrace(app)));
        }
    }

    /**
     * Whether no router sends requests to a stopping instance any more: the app's route as stored
     * leaves it out, and every running router has acknowledged that route's version or a later one
     * (none running: nothing routes to it). After {@link #drainTimeout} it is drained all the same.
     */
    private boolean drained(Draft d, Instance instance) {
        if (!instance.updatedAt().plus(drainTimeout).isAfter(d.now)) {
            return true;
        }
        // The model's route, not this step's: only a stored route reaches the routers.
        Route published = d.model.route(instance.app());
        if (published == null) {
            return true;
        }
        return !published.routesTo(instance.taskId()) && d.flags().routersServe(published.version());
    }


    /** The formation's plan, the one-offs left out of it, with the one-offs waiting to launch. */
    private Plan plan(Draft d, List<Instance> all) {
        Plan formation = planFormation(d, all.stream().filter(i -> !OneOff.is(i)).toList());
        List<Wanted> waiting = oneOffs.wanted(d);
        if (waiting.isEmpty()) {
            return formation;
        }
        List<Wanted> launches = new ArrayList<>(formation.launches());
        launches.addAll(waiting);
        return new Plan(launches, formation.kills());
    }

    private static Plan planFormation(Draft d, List<Instance> instances) {
        List<AppState> wanted = new ArrayList<>();
        for (App app : d.model.apps()) {
            Release release = d.model.release(app.name());
            wanted.add(new AppState(app, release));
        }
        return Planner.plan(wanted, instances, slot -> {
            CrashBackoff backoff = d.crash(slot);
            Release release = d.model.release(slot.app());
            return release == null || Backoff.mayLaunch(backoff, release.version(), d.now);
        }, d.now);
    }
}
