package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.LaunchFactory;
import dev.slipway.framework.deploy.OneOff;
import dev.slipway.framework.events.EventSink;
import dev.slipway.framework.logs.LogSink;
import dev.slipway.framework.mesos.MesosDriver;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.framework.offer.AgentRoom;
import dev.slipway.zk.App;
import dev.slipway.zk.AppWatch;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.FrameworkIdStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.Release;
import dev.slipway.zk.Size;
import dev.slipway.zk.RouterAcks;
import dev.slipway.zk.StoreException;
import dev.slipway.zk.Unavailable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's driver: a thin loop on one thread that turns Mesos's events, app changes and
 * ticks into {@link Event}s, asks the {@link Core} what to do, stores the step's write as one
 * ZooKeeper multi, applies it to the in-memory {@link Model}, then carries out its effects in
 * order. Everything runs on that thread, so the model needs no locks; what others read from it
 * ({@link #vetoes()}, {@link #isSubscribed()}) is published as immutable copies.
 */
public final class Scheduler implements MesosDriver.Listener, OneOffDesk, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final State state;
    private final MesosDriver driver;
    private final FrameworkIdStore frameworkIds;
    private final Core core;
    private final OneOffs oneOffs = new OneOffs();
    private final LogSink logs;
    private final AgentRoom agents;
    private final StepEvents events;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slipway-scheduler");
        t.setDaemon(true);
        // Handlers are guarded against exceptions (Guard); an Error is not caught, but said.
        t.setUncaughtExceptionHandler((dead, error) -> LOG.error("the scheduler thread died", error));
        return t;
    });
    /** Null until loaded, and again after a conflicting write, to be loaded anew. */
    private Model model;
    private volatile AppWatch appWatch;
    private volatile RouterAcks.Watch routerWatch;
    /** The routers' newest acknowledgements not handled yet, null when none waits. */
    private final AtomicReference<Map<String, Long>> routerAcks = new AtomicReference<>();
    private final Set<String> changedApps = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean appsQueued = new AtomicBoolean();
    private final AtomicBoolean planQueued = new AtomicBoolean();
    static final int MAX_UPDATES_PER_STEP = 500;
    private final Queue<TaskUpdate> updates = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean updatesQueued = new AtomicBoolean();
    /** Offers accepted or declined by the event being handled, so that its recovery declines only the rest. */
    private final Set<String> answered = new HashSet<>();
    /** The step of the event being handled while its effects are carried out, for its recovery. */
    private Step failedStep;
    private volatile Map<String, List<String>> vetoes = Map.of();
    private volatile boolean subscribed;

    /**
     * Who hears of what the scheduler does: {@code logs} of instances starting and changing state,
     * for their apps' logs; {@code agents} of each round of offers, for the API to refuse sizes no
     * agent could hold; {@code events} of instances' states and health and of deployments' progress,
     * for {@code GET /events}.
     */
    public record Observers(LogSink logs, AgentRoom agents, EventSink events) {
    }

    public Scheduler(State state, MesosDriver driver, FrameworkIdStore frameworkIds, LaunchFactory launches,
                     Observers observers, Clock clock) {
        this.state = state;
        this.driver = driver;
        this.frameworkIds = frameworkIds;
        this.core = new Core(launches, oneOffs);
        this.logs = observers.logs();
        this.agents = observers.agents();
        this.events = new StepEvents(observers.events());
        this.clock = clock;
    }

    /** A scheduler whose steps are told to no event stream. */
    public Scheduler(State state, MesosDriver driver, FrameworkIdStore frameworkIds, LaunchFactory launches,
                     LogSink logs, AgentRoom agents, Clock clock) {
        this(state, driver, frameworkIds, launches, new Observers(logs, agents, EventSink.NONE), clock);
    }

    /** A scheduler that writes nothing to the apps' logs and tells no one of its agents. */
    public Scheduler(State state, MesosDriver driver, FrameworkIdStore frameworkIds, LaunchFactory launches,
                     Clock clock) {
        this(state, driver, frameworkIds, launches, LogSink.NONE, new AgentRoom(), clock);
    }

    /**
     * Starts scheduling: on the scheduler thread, watches the apps and loads the model (so that no
     * change between the two is missed), then subscribes to Mesos and plans every second.
     */
    public void start() {
        thread.execute(() -> Guard.handle("loading the scheduler's model from ZooKeeper", () -> {
            appWatch = state.watchApps(this::appChanged);
            routerWatch = state.watchRouters(this::routersAcked);
            model();
        }, () -> "loaded at the first event instead"));
        driver.start(this);
        thread.scheduleWithFixedDelay(() -> tick("planning round (tick)"), 1, 1, TimeUnit.SECONDS);
    }

    /** Asks for a planning round soon, e.g. after a deploy or a scale; several asks make one round. */
    public void poke() {
        if (planQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                planQueued.set(false);
                tick("planning round (formation or release changed)");
            });
        }
    }

    public boolean isSubscribed() {
        return subscribed;
    }

    /** Why slots waiting to launch could not be placed on the last offers, by slot. */
    public Map<String, List<String>> vetoes() {
        return vetoes;
    }

    // ---- One-off dynos (the API's threads hop onto the scheduler thread).

    @Override
    public CompletableFuture<OneOff> run(String app, String command, Map<String, String> env, Size size,
                                         long timeToLiveSeconds) {
        CompletableFuture<OneOff> asked = new CompletableFuture<>();
        onThread(asked, () -> {
            OneOff oneOff = oneOffs.ask(model(), app, command, env, size, timeToLiveSeconds, clock.instant());
            asked.complete(oneOff);
            tick("planning round (one-off dyno " + oneOff.name() + " of " + app + " asked for)");
        });
        return asked;
    }

    @Override
    public CompletableFuture<Boolean> stop(String app, String name) {
        CompletableFuture<Boolean> stopped = new CompletableFuture<>();
        onThread(stopped, () -> {
            if (oneOffs.cancel(app, name)) {
                stopped.complete(true);
                return;
            }
            boolean live = model().instancesOf(app).stream().anyMatch(i -> OneOff.is(i) && i.name().equals(name)
                    && !i.state().gone());
            if (live) {
                handle(new Event.StopOneOff(app, name), () -> "stopped at the next ask");
            }
            stopped.complete(live);
        });
        return stopped;
    }

    @Override
    public boolean pending(String app, String name) {
        return oneOffs.pending(app, name);
    }

    private void onThread(CompletableFuture<?> result, Runnable work) {
        try {
            thread.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new Unavailable("the scheduler has stopped", e));
        }
    }

    // ---- Mesos events (driver thread) and app changes (ZooKeeper's thread) hop onto the scheduler thread.

    @Override
    public void subscribed(String frameworkId) {
        thread.execute(() -> onSubscribed(frameworkId));
    }

    @Override
    public void offers(List<Offer> offers) {
        thread.execute(() -> onOffers(offers));
    }

    @Override
    public void rescinded(String offerId) {
        thread.execute(() -> handle(new Event.Rescinded(offerId), Guard.Recovery.NONE));
    }

    /**
     * Updates queue up while the scheduler is busy and are handled together, up to
     * {@link #MAX_UPDATES_PER_STEP} at a time: one ZooKeeper write for many (thousands of tasks
     * starting at once would otherwise wait for one write each).
     */
    @Override
    public void update(TaskUpdate update) {
        updates.add(update);
        if (updatesQueued.compareAndSet(false, true)) {
            thread.execute(this::drainUpdates);
        }
    }

    private void drainUpdates() {
        updatesQueued.set(false);
        List<TaskUpdate> batch = new ArrayList<>();
        TaskUpdate next;
        while (batch.size() < MAX_UPDATES_PER_STEP && (next = updates.poll()) != null) {
            batch.add(next);
        }
        if (!updates.isEmpty() && updatesQueued.compareAndSet(false, true)) {
            thread.execute(this::drainUpdates);
        }
        if (!batch.isEmpty()) {
            onUpdates(batch);
        }
    }

    @Override
    public void error(String message) {
        subscribed = false;
        LOG.error("Mesos ended the framework's registration: {}. Instances keep their state in ZooKeeper; "
                + "restart the framework once the cause is fixed.", message);
        thread.execute(() -> handle(new Event.Unsubscribed(message), Guard.Recovery.NONE));
    }

    @Override
    public void removed(String frameworkId, String message) {
        subscribed = false;
        thread.execute(() -> onRemoved(frameworkId, message));
    }

    @Override
    public void disconnected(String why) {
        subscribed = false;
        LOG.warn("lost the connection to Mesos: {}", why);
        thread.execute(() -> handle(new Event.Unsubscribed(why), Guard.Recovery.NONE));
    }

    private void appChanged(String app) {
        changedApps.add(app);
        if (appsQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                appsQueued.set(false);
                List<String> names = new ArrayList<>(changedApps);
                changedApps.removeAll(names);
                onAppsChanged(names);
                tick("planning round (apps changed)");
            });
        }
    }

    /** Acknowledgements that arrive while the scheduler is busy make one event, with the newest. */
    private void routersAcked(Map<String, Long> acks) {
        if (routerAcks.getAndSet(acks) == null) {
            thread.execute(() -> onRoutersAcked(routerAcks.getAndSet(null)));
        }
    }

    // ---- On the scheduler thread (tests call these directly, as the driver would).

    void onRoutersAcked(Map<String, Long> acks) {
        handle(new Event.RoutersAcked(acks), Guard.Recovery.NONE);
    }

    void onSubscribed(String frameworkId) {
        handle(new Event.Subscribed(frameworkId), Guard.Recovery.NONE);
    }

    /**
     * One round of offers, guarded: when placing fails, the offers not yet accepted are declined
     * for a short while (the next round retries), so none is held until the master rescinds it.
     */
    void onOffers(List<Offer> offers) {
        handle(new Event.Offers(offers), () -> {
            List<String> unanswered = offers.stream().map(Offer::id).filter(id -> !answered.contains(id)).toList();
            List<String> notSent = storedNotSent();
            if (!notSent.isEmpty()) {
                handle(new Event.LaunchesNotSent(notSent), Guard.Recovery.NONE);
            }
            if (unanswered.isEmpty()) {
                return "every offer was already answered";
            }
            driver.decline(unanswered, Core.REFUSE_WHEN_WAITING_SECONDS);
            return "declined " + unanswered + " for " + Core.REFUSE_WHEN_WAITING_SECONDS + " s"
                    + (notSent.isEmpty() ? "" : "; gave up the launches never sent " + notSent);
        });
    }

    /** The instances the failed step stored as launching whose accept was not sent. */
    private List<String> storedNotSent() {
        if (failedStep == null) {
            return List.of();
        }
        Set<String> sent = new HashSet<>();
        failedStep.effects(Effect.Accept.class).stream().filter(a -> answered.contains(a.offerId()))
                .forEach(a -> a.launches().forEach(l -> sent.add(l.taskId())));
        return failedStep.puts().values().stream()
                .filter(i -> i.state() == InstanceState.LAUNCHING && !sent.contains(i.taskId()))
                .map(Instance::taskId).sorted().toList();
    }

    void onUpdate(TaskUpdate update) {
        onUpdates(List.of(update));
    }

    /**
     * Tasks' status updates, guarded: when storing them fails they stay unacknowledged, and Mesos
     * resends them until they are stored. A planning round follows at once when one may change the
     * plan: an ended task may be due a replacement, and a task that became healthy lets the instance
     * it replaces stop (a rolling deploy moves on now, not at the next tick, up to a second later).
     */
    void onUpdates(List<TaskUpdate> batch) {
        handle(new Event.Updates(batch), () -> "left unacknowledged: Mesos sends " + (batch.size() == 1 ? "it" : "them")
                + " again");
        batch.stream().filter(u -> u.state().terminal()).findFirst().ifPresentOrElse(ended ->
                tick("planning round after task " + ended.taskId() + " ended"), () ->
                batch.stream().filter(u -> Boolean.TRUE.equals(u.healthy()) && !u.fromReconciliation()).findFirst()
                        .ifPresent(healthy -> tick("planning round after task " + healthy.taskId() + " became healthy")));
    }

    void onRemoved(String frameworkId, String message) {
        handle(new Event.Removed(frameworkId, message), Guard.Recovery.NONE);
    }

    /** Reads the apps ZooKeeper said changed, and takes them into the model. */
    void onAppsChanged(List<String> names) {
        if (model == null) {
            return; // the model, when loaded, reads them as they are
        }
        Guard.handle("reading " + names.size() + " changed app(s)", () -> {
            List<App> found = state.apps(names);
            Map<String, Integer> versions = new HashMap<>();
            found.stream().filter(a -> a.release() != 0).forEach(a -> versions.put(a.name(), a.release()));
            Map<String, Release> releases = state.releases(versions);
            List<Event.AppRead> changed = new ArrayList<>();
            for (App app : found) {
                Release release = releases.get(app.name());
                if (app.release() != 0 && release == null) {
                    LOG.warn("app {} points at release v{}, which is not stored: left as it was", app.name(),
                            app.release());
                    continue;
                }
                changed.add(new Event.AppRead(app, release));
            }
            Set<String> present = new HashSet<>();
            found.forEach(a -> present.add(a.name()));
            List<String> deleted = names.stream().filter(n -> !present.contains(n)).toList();
            handle(new Event.AppsChanged(changed, deleted), Guard.Recovery.NONE);
        }, () -> "read at the next change or when the model is loaded again");
    }

    /** A planning round, guarded: when it fails, the next tick plans again. */
    void tick(String why) {
        handle(new Event.Tick(why), () -> "the next tick plans again");
    }

    /** One planning round now. */
    public void runOnce() {
        tick("planning round");
    }

    // ---- The interpreter.

    private void handle(Event event, Guard.Recovery recovery) {
        answered.clear();
        failedStep = null;
        Guard.handle(event.describe(), () -> run(event), recovery);
    }

    private void run(Event event) {
        Model current = model();
        if (event instanceof Event.Offers offers) {
            agents.saw(offers.offers(), current.instanceList());
        }
        Step step = core.decide(current, event, clock.instant());
        Map<String, Integer> versions = Map.of();
        if (step.writes()) {
            try {
                versions = step.write(state.write(), current, state::appVersioned).commit();
            } catch (Conflict | NotFound e) {
                // Someone else wrote instances or routes (a deposed leader, an operator): read them anew.
                model = null;
                throw e;
            }
            step.routes().values().forEach(r -> LOG.info("route of {}: {} healthy endpoint(s)", r.app(),
                    r.endpoints().size()));
        }
        Map<String, Instance> before = StepEvents.before(step, current);
        current.apply(step, versions);
        oneOffs.stored(current);
        subscribed = current.flags().subscribed();
        vetoes = current.vetoes();
        failedStep = step;
        step.effects().forEach(this::carryOut);
        failedStep = null;
        tell(step, before, current);
    }

    /** Tells the event stream what the stored step changed; a bug there must not undo the step. */
    private void tell(Step step, Map<String, Instance> before, Model current) {
        try {
            events.applied(step, before, current);
        } catch (RuntimeException e) {
            LOG.error("cannot tell the event stream what a step changed", e);
        }
    }

    private Model model() {
        if (model == null) {
            model = Model.load(state);
            LOG.info("scheduler model loaded: {} app(s), {} instance(s)", model.apps().size(),
                    model.instances().size());
        }
        return model;
    }

    private void carryOut(Effect effect) {
        if (effect instanceof Effect.Accept a) {
            driver.accept(a.offerId(), a.agentId(), a.launches());
            answered.add(a.offerId());
        } else if (effect instanceof Effect.Decline d) {
            driver.decline(d.offerIds(), d.refuseSeconds());
            answered.addAll(d.offerIds());
        } else if (effect instanceof Effect.Kill k) {
            driver.kill(k.taskId(), k.agentId(), k.grace());
        } else if (effect instanceof Effect.Acknowledge a) {
            driver.acknowledge(a.agentId(), a.taskId(), a.uuid());
        } else if (effect instanceof Effect.Reconcile r) {
            driver.reconcile(r.tasks());
        } else if (effect instanceof Effect.Revive) {
            driver.revive();
        } else if (effect instanceof Effect.Suppress) {
            driver.suppress();
        } else if (effect instanceof Effect.Message m) {
            driver.message(m.agentId(), m.executorId(), m.data());
        } else if (effect instanceof Effect.Tell t) {
            logs.event(t.app(), t.dyno(), t.line());
        } else if (effect instanceof Effect.SaveCrash c) {
            state.putCrash(c.app(), c.backoff());
        } else if (effect instanceof Effect.PruneDeployments p) {
            state.pruneDeployments(p.app());
        } else if (effect instanceof Effect.ForgetCrash c) {
            state.deleteCrash(c.app(), c.slot());
        } else if (effect instanceof Effect.SaveFrameworkId f) {
            try {
                frameworkIds.set(f.frameworkId());
            } catch (StoreException e) {
                // Subscribed all the same: the id is stored again at the next subscription.
                LOG.error("could not store the framework id {}: {}", f.frameworkId(), e.getMessage());
            }
        } else if (effect instanceof Effect.ForgetFrameworkId) {
            frameworkIds.clear();
        }
    }

    /**
     * Stops: no Mesos call is sent after this (the driver drops what it has not sent), and the
     * event being handled is waited for, a few seconds at most, so that nothing of this scheduler
     * writes once a new leader may be writing (its writes are fenced too: see {@link State}).
     */
    @Override
    public void close() {
        driver.close();
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the scheduler thread did not end within 5 s of being stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (appWatch != null) {
            appWatch.close();
        }
        if (routerWatch != null) {
            routerWatch.close();
        }
    }
}
