package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.AppState;
import dev.slipway.framework.deploy.InPlace;
import dev.slipway.framework.deploy.LaunchFactory;
import dev.slipway.framework.deploy.Plan;
import dev.slipway.framework.deploy.Planner;
import dev.slipway.framework.deploy.Slot;
import dev.slipway.framework.deploy.Wanted;
import dev.slipway.framework.logs.DynoEvents;
import dev.slipway.framework.logs.LogSink;
import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.MesosDriver;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.framework.offer.Demand;
import dev.slipway.framework.offer.Match;
import dev.slipway.framework.offer.OfferMatcher;
import dev.slipway.framework.offer.Placement;
import dev.slipway.framework.offer.Running;
import dev.slipway.framework.task.TaskStateMachine;
import dev.slipway.zk.App;
import dev.slipway.zk.FrameworkIdStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler core's loop: turns Mesos events and the wanted state in ZooKeeper into launches,
 * kills and routes. Everything it does runs on one thread, so its in-memory bookkeeping needs no
 * locks; what others read from it ({@link #vetoes()}) is published as immutable copies.
 */
public final class Scheduler implements MesosDriver.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Time between taking an instance out of the routes and killing it, so the router sees it first. */
    static final Duration DRAIN = Duration.ofSeconds(1);
    static final Duration KILL_RETRY = Duration.ofSeconds(30);
    static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(3);
    static final Duration KEEP_ENDED = Duration.ofMinutes(10);
    static final Duration IMPLICIT_RECONCILE = Duration.ofMinutes(10);
    static final double REFUSE_WHEN_IDLE_SECONDS = 30;
    static final double REFUSE_WHEN_WAITING_SECONDS = 1;

    private final State state;
    private final MesosDriver driver;
    private final FrameworkIdStore frameworkIds;
    private final LaunchFactory launches;
    private final RoutePublisher routes;
    private final LogSink logs;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slipway-scheduler");
        t.setDaemon(true);
        // Handlers are guarded against exceptions (Guard); an Error is not caught, but said.
        t.setUncaughtExceptionHandler((dead, error) -> LOG.error("the scheduler thread died", error));
        return t;
    });
    private final Backoff backoff;
    private boolean backoffLoaded;
    private final Map<String, Instant> killsSent = new HashMap<>();
    private final Running running = new Running();
    private volatile Map<String, List<String>> vetoes = Map.of();
    private volatile boolean subscribed;
    private boolean waitingForOffers;
    private boolean suppressed;
    private Instant lastImplicitReconcile = Instant.EPOCH;
    private Instant lastOrphanSweep = Instant.EPOCH;

    /** {@code logs} hears of instances starting and changing state, for their apps' logs. */
    public Scheduler(State state, MesosDriver driver, FrameworkIdStore frameworkIds, LaunchFactory launches,
                     RoutePublisher routes, LogSink logs, Clock clock) {
        this.state = state;
        this.driver = driver;
        this.frameworkIds = frameworkIds;
        this.launches = launches;
        this.routes = routes;
        this.logs = logs;
        this.clock = clock;
        this.backoff = new Backoff(clock);
    }

    /** A scheduler that writes nothing to the apps' logs. */
    public Scheduler(State state, MesosDriver driver, FrameworkIdStore frameworkIds, LaunchFactory launches,
                     RoutePublisher routes, Clock clock) {
        this(state, driver, frameworkIds, launches, routes, LogSink.NONE, clock);
    }

    public void start() {
        driver.start(this);
        thread.scheduleWithFixedDelay(() -> tick("planning round (tick)"), 1, 1, TimeUnit.SECONDS);
    }

    /** Asks for a planning round now, e.g. after a deploy or a scale. */
    public void poke() {
        thread.execute(() -> tick("planning round (formation or release changed)"));
    }

    public boolean isSubscribed() {
        return subscribed;
    }

    /** Why slots waiting to launch could not be placed on the last offers, by slot. */
    public Map<String, List<String>> vetoes() {
        return vetoes;
    }

    // ---- Mesos events (driver thread) hop onto the scheduler thread.

    @Override
    public void subscribed(String frameworkId) {
        thread.execute(() -> Guard.handle("subscription as framework " + frameworkId,
                () -> onSubscribed(frameworkId), Guard.Recovery.NONE));
    }

    @Override
    public void offers(List<Offer> offers) {
        thread.execute(() -> onOffers(offers));
    }

    @Override
    public void rescinded(String offerId) {
        thread.execute(() -> Guard.handle("rescind of offer " + offerId, () -> LOG.debug("offer {} rescinded", offerId),
                Guard.Recovery.NONE));
    }

    @Override
    public void update(TaskUpdate update) {
        thread.execute(() -> onUpdate(update));
    }

    @Override
    public void error(String message) {
        subscribed = false;
        LOG.error("Mesos ended the framework's registration: {}. Instances keep their state in ZooKeeper; "
                + "restart the framework once the cause is fixed.", message);
    }

    @Override
    public void removed(String frameworkId, String message) {
        subscribed = false;
        thread.execute(() -> Guard.handle("removal of framework " + frameworkId,
                () -> onRemoved(frameworkId, message), Guard.Recovery.NONE));
    }

    @Override
    public void disconnected(String why) {
        subscribed = false;
        LOG.warn("lost the connection to Mesos: {}", why);
    }

    // ---- On the scheduler thread.

    void onSubscribed(String frameworkId) {
        try {
            frameworkIds.set(frameworkId);
        } catch (StoreException e) {
            // Subscribed all the same: the id is stored again at the next subscription.
            LOG.error("could not store the framework id {}: {}", frameworkId, e.getMessage());
        }
        subscribed = true;
        // A new subscription starts unsuppressed, as Mesos sees it.
        waitingForOffers = false;
        suppressed = false;
        List<MesosDriver.TaskRef> known = state.instances().stream()
                .filter(i -> !i.state().terminal() && !i.agentId().isEmpty())
                .map(i -> new MesosDriver.TaskRef(i.taskId(), i.agentId()))
                .toList();
        LOG.info("reconciling {} known instances with Mesos", known.size());
        driver.reconcile(known);
        driver.reconcile(List.of());
        lastImplicitReconcile = clock.instant();
    }

    /**
     * The master removed the framework: Mesos killed its tasks. Every instance still listed as
     * live is marked lost (taking it out of the routes), then the stored id is forgotten, in that
     * order, so that a restart in between never finds live instances without an id. The planner
     * launches every app's formation again once the new registration gets offers.
     */
    void onRemoved(String frameworkId, String message) {
        Instant now = clock.instant();
        try {
            List<Instance> live = state.instances().stream().filter(i -> !i.state().gone()).toList();
            for (Instance instance : live) {
                Instance lost = instance.with(InstanceState.LOST, false,
                        "Mesos removed framework " + frameworkId + " (" + message + ")", now);
                state.putInstance(lost);
                DynoEvents.tell(logs, instance, lost);
                killsSent.remove(instance.taskId());
            }
            routes.publishAll(state.apps().stream().map(App::name).toList(), state.instances());
            frameworkIds.clear();
            LOG.warn("Mesos removed framework {} ({}): {} instance(s) were killed with it and are marked lost;"
                    + " registering as a new framework and launching every app's instances again", frameworkId,
                    message, live.size());
        } catch (StoreException e) {
            LOG.error("Mesos removed framework {} but ZooKeeper could not be updated ({}); its instances are"
                    + " still listed as live", frameworkId, e.getMessage());
        }
    }

    /**
     * One round of offers, guarded: when placing fails, the offers not yet accepted are declined
     * for a short while (the next round retries), so none is held until the master rescinds it.
     */
    void onOffers(List<Offer> offers) {
        List<String> unanswered = new ArrayList<>(offers.stream().map(Offer::id).toList());
        String event = "offers " + unanswered + " from " + offers.stream().map(Offer::hostname).distinct().toList();
        Guard.handle(event, () -> placeOn(offers, unanswered), () -> {
            if (unanswered.isEmpty()) {
                return "every offer was already answered";
            }
            driver.decline(List.copyOf(unanswered), REFUSE_WHEN_WAITING_SECONDS);
            return "declined " + unanswered + " for " + REFUSE_WHEN_WAITING_SECONDS + " s";
        });
    }

    /** Places what waits to launch on {@code offers}, removing each offer it answers from {@code unused}. */
    private void placeOn(List<Offer> offers, List<String> unused) {
        List<Instance> known = state.instances();
        List<App> apps = state.apps();
        Plan plan = plan(apps, known, clock.instant());
        // A container of an ended task that is still there is an orphan, maybe on the very port
        // offered now: the new instance's executor removes it first.
        List<String> ended = known.stream().filter(i -> i.state().terminal()).map(Instance::taskId).sorted()
                .toList();
        Map<String, Wanted> bySlot = new LinkedHashMap<>();
        Map<String, App> byName = new HashMap<>();
        apps.forEach(a -> byName.put(a.name(), a));
        List<Demand> demands = new ArrayList<>();
        for (Wanted wanted : plan.launches()) {
            App app = byName.get(wanted.slot().app());
            Demand demand = launches.demand(wanted,
                    app == null ? List.of() : app.constraintsOf(wanted.slot().process()));
            bySlot.put(demand.key(), wanted);
            demands.add(demand);
        }
        running.saw(offers);
        Match match = OfferMatcher.match(demands, offers, running.byGroup(known));
        vetoes = match.vetoes();
        List<Instance> withLaunched = new ArrayList<>(known);
        Map<Offer, List<Launch>> byOffer = new LinkedHashMap<>();
        for (Placement placement : match.placements()) {
            Wanted wanted = bySlot.get(placement.demand().key());
            String taskId = LaunchFactory.taskId(wanted);
            Instant launchedAt = clock.instant();
            Instance launched = launches.instance(taskId, wanted, placement, launchedAt);
            state.putInstance(launched);
            withLaunched.add(launched);
            byOffer.computeIfAbsent(placement.offer(), o -> new ArrayList<>())
                    .add(launches.launch(taskId, wanted, placement, launchedAt, ended));
            LOG.info("launching {} v{} as task {} on {}", wanted.slot(), wanted.release().version(), taskId,
                    placement.offer().hostname());
            logs.event(wanted.slot().app(), wanted.slot().process() + "." + wanted.slot().index(),
                    "Starting process with command `" + wanted.command() + "`");
        }
        replaceInPlace(match, demands, bySlot, withLaunched);
        byOffer.forEach((offer, list) -> {
            driver.accept(offer.id(), offer.agentId(), list);
            unused.remove(offer.id());
        });
        waitingForOffers = !match.vetoes().isEmpty();
        if (!unused.isEmpty()) {
            driver.decline(unused, waitingForOffers ? REFUSE_WHEN_WAITING_SECONDS : REFUSE_WHEN_IDLE_SECONDS);
            unused.clear();
        }
    }

    /** A rolling deploy that constraints leave no room for stops an old instance first (see {@link InPlace}). */
    private void replaceInPlace(Match match, List<Demand> demands, Map<String, Wanted> bySlot, List<Instance> known) {
        Map<String, Demand> byKey = new HashMap<>();
        demands.forEach(d -> byKey.put(d.key(), d));
        Map<String, List<String>> annotated = new LinkedHashMap<>(vetoes);
        for (Instance old : InPlace.toStop(match.constrained(), byKey, bySlot, known, running::agentOf)) {
            String key = Slot.of(old).toString();
            String why = annotated.getOrDefault(key, List.of()).stream().findFirst().orElse("");
            Instance draining = old.with(InstanceState.KILLING, false,
                    "stopping: replaced in place (" + why + ")", clock.instant());
            state.putInstance(draining);
            // It leaves the routes now, a drain period before runOnce sends its kill.
            List<Instance> current = new ArrayList<>(known);
            current.replaceAll(i -> i.taskId().equals(old.taskId()) ? draining : i);
            routes.publish(old.app(), current);
            DynoEvents.tell(logs, old, draining);
            annotated.put(key, List.of(why + "; replacing v" + old.release() + " in place, old instance first"));
            LOG.info("{} {} v{} (task {}): stopping first, to replace it in place: {}", old.app(), old.name(),
                    old.release(), old.taskId(), why);
        }
        vetoes = Map.copyOf(annotated);
    }

    /**
     * A task's status update, guarded: when storing it fails it stays unacknowledged, and Mesos
     * resends it until it is stored.
     */
    void onUpdate(TaskUpdate update) {
        Guard.handle("update " + update.state() + " of task " + update.taskId() + " on agent " + update.agentId(),
                () -> store(update), () -> "left unacknowledged: Mesos sends it again");
        if (update.state().terminal()) {
            // A replacement may be due: plan now rather than at the next tick (a round of its own).
            tick("planning round after task " + update.taskId() + " ended");
        }
    }

    private void store(TaskUpdate update) {
        Instance instance = state.instance(update.taskId()).orElse(null);
        if (instance == null) {
            if (!update.state().terminal()) {
                LOG.warn("Mesos runs task {} that Slipway does not know: killing it", update.taskId());
                // No app to ask: the task keeps the grace it was launched with.
                driver.kill(update.taskId(), update.agentId(), null);
            }
        } else {
            loadBackoff();
            Instance next = TaskStateMachine.apply(instance, update, clock.instant());
            if (!next.equals(instance)) {
                // The route first: whoever sees the instance up (the API, `slipway deploy`) must
                // find it routed, not a moment before it is.
                routes.publish(next.app(), state.instances(next.app()).stream()
                        .map(i -> i.taskId().equals(next.taskId()) ? next : i).toList());
                state.putInstance(next);
                logChange(instance, next);
                DynoEvents.tell(logs, instance, next);
                noteOutcome(instance, next);
            }
        }
        // Only now that the update is stored: if handling it failed we never get here, and Mesos resends.
        if (update.needsAcknowledgement()) {
            driver.acknowledge(update.agentId(), update.taskId(), update.uuid());
        }
        if (update.state().terminal()) {
            killsSent.remove(update.taskId());
        }
    }

    private void logChange(Instance before, Instance after) {
        if (before.state() != after.state() || before.healthy() != after.healthy()) {
            LOG.info("{} {} v{} (task {}): {} -> {}{}{}", after.app(), after.name(), after.release(), after.taskId(),
                    before.state(), after.state(), after.healthy() ? ", healthy" : "",
                    after.message().isEmpty() ? "" : " (" + after.message() + ")");
        }
    }

    /** Counts a crash or a ready instance in the slot's backoff, stored before the next launch decision. */
    private void noteOutcome(Instance before, Instance after) {
        Slot slot = Slot.of(after);
        if (after.healthy() || (after.state() == InstanceState.RUNNING && !"web".equals(after.process()))) {
            backoff.ready(slot, after.release()).ifPresent(b -> state.putCrash(after.app(), b));
        }
        if (after.state().terminal() && before.state() != InstanceState.KILLING
                && after.state() != InstanceState.FINISHED) {
            crashed(after, after.message());
            LOG.info("{} {} v{} (task {}) ended unasked: its next launch waits {} ms", after.app(), after.name(),
                    after.release(), after.taskId(), backoff.wait(slot).toMillis());
        }
    }

    private void crashed(Instance instance, String exit) {
        state.putCrash(instance.app(), backoff.failed(Slot.of(instance), instance.release(), exit));
    }

    /** The backoffs stored by an earlier run of the framework, read once before the first decision. */
    private void loadBackoff() {
        if (backoffLoaded) {
            return;
        }
        for (App app : state.apps()) {
            backoff.restore(app.name(), state.crashes(app.name()));
        }
        backoffLoaded = true;
    }

    /** A planning round, guarded: when it fails, the next tick plans again. */
    void tick(String event) {
        Guard.handle(event, this::runOnce, () -> "the next tick plans again");
    }

    /** One planning round: stop what should stop, expire what Mesos lost, publish routes, ask for offers. */
    public void runOnce() {
        Instant now = clock.instant();
        // One read of the apps and instances per round; this round's own writes are applied to the copy.
        List<App> apps = state.apps();
        loadBackoff();
        backoff.retainApps(apps.stream().map(App::name).toList());
        for (Slot healed : backoff.forgive()) {
            state.deleteCrash(healed.app(), healed.process() + "." + healed.index());
        }
        Map<String, Duration> killGraces = new HashMap<>();
        apps.forEach(app -> killGraces.put(app.name(), launches.killGrace(app)));
        Map<String, Instance> instances = new LinkedHashMap<>();
        state.instances().forEach(i -> instances.put(i.taskId(), i));
        Plan plan = plan(apps, List.copyOf(instances.values()), now);
        for (Instance victim : plan.kills()) {
            Instance draining = victim.with(InstanceState.KILLING, false, "stopping", now);
            state.putInstance(draining);
            instances.put(draining.taskId(), draining);
            DynoEvents.tell(logs, victim, draining);
            LOG.info("{} {} v{} (task {}): stopping", victim.app(), victim.name(), victim.release(), victim.taskId());
        }
        for (Instance instance : List.copyOf(instances.values())) {
            if (instance.state() == InstanceState.KILLING) {
                sendKillWhenDrained(instance, killGraces.get(instance.app()), now);
            } else if (instance.state() == InstanceState.LAUNCHING
                    && instance.updatedAt().plus(LAUNCH_TIMEOUT).isBefore(now)) {
                Instance lost = instance.with(InstanceState.LOST, false, "Mesos never reported the launch", now);
                state.putInstance(lost);
                instances.put(lost.taskId(), lost);
                DynoEvents.tell(logs, instance, lost);
                crashed(lost, lost.message());
            } else if (instance.state().gone() && instance.updatedAt().plus(KEEP_ENDED).isBefore(now)) {
                state.deleteInstance(instance.taskId());
                instances.remove(instance.taskId());
            }
        }
        // Stopping instances leave the routes now; their kill goes out a drain period later.
        routes.publishAll(apps.stream().map(App::name).toList(), List.copyOf(instances.values()));
        if (isSubscribed()) {
            askForOffersAsNeeded(plan);
        }
        if (isSubscribed() && lastImplicitReconcile.plus(IMPLICIT_RECONCILE).isBefore(now)) {
            driver.reconcile(List.of());
            lastImplicitReconcile = now;
        }
        if (isSubscribed() && lastOrphanSweep.plus(OrphanSweep.INTERVAL).isBefore(now)) {
            // `now` was taken before the instances were read: every launch before it is among them.
            List<OrphanSweep.Message> sweep = OrphanSweep.messages(List.copyOf(instances.values()), now);
            LOG.debug("orphan sweep: telling {} executor(s) which tasks are live", sweep.size());
            sweep.forEach(m -> driver.message(m.agentId(), m.executorId(), m.data()));
            lastOrphanSweep = now;
        }
    }

    /**
     * Offers are wanted only while something waits to launch: REVIVE when a launch appears (which
     * also clears decline filters), SUPPRESS once nothing waits, so an idle framework costs the
     * master nothing.
     */
    private void askForOffersAsNeeded(Plan plan) {
        if (!plan.launches().isEmpty() && (!waitingForOffers || suppressed)) {
            waitingForOffers = true;
            suppressed = false;
            driver.revive();
        } else if (plan.launches().isEmpty() && !suppressed) {
            waitingForOffers = false;
            suppressed = true;
            vetoes = Map.of();
            driver.suppress();
        }
    }

    /**
     * Kills with the app's current grace, not the one the instance was launched with, so that a
     * changed setting applies to running instances too; null (the app is gone) keeps the launch's.
     * A retried kill can only shorten a grace already running: the executor never extends one.
     */
    private void sendKillWhenDrained(Instance instance, Duration grace, Instant now) {
        Instant sent = killsSent.get(instance.taskId());
        boolean drained = !instance.updatedAt().plus(DRAIN).isAfter(now);
        if (drained && (sent == null || sent.plus(KILL_RETRY).isBefore(now))) {
            killsSent.put(instance.taskId(), now);
            driver.kill(instance.taskId(), instance.agentId(), grace);
        }
    }

    private Plan plan(List<App> apps, List<Instance> instances, Instant now) {
        loadBackoff();
        List<AppState> wanted = new ArrayList<>();
        Map<String, Integer> releases = new HashMap<>();
        for (App app : apps) {
            wanted.add(new AppState(app, app.release() == 0 ? null : state.release(app.name(), app.release())));
            releases.put(app.name(), app.release());
        }
        return Planner.plan(wanted, instances, slot -> backoff.mayLaunch(slot, releases.get(slot.app())), now);
    }

    @Override
    public void close() {
        driver.close();
        thread.shutdownNow();
    }
}
