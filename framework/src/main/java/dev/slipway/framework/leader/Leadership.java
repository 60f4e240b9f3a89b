package dev.slipway.framework.leader;

import dev.slipway.framework.api.Standing;
import dev.slipway.framework.deploy.OneOff;
import dev.slipway.framework.schedule.OneOffDesk;
import dev.slipway.zk.Size;
import java.util.concurrent.CompletableFuture;
import dev.slipway.framework.schedule.Scheduler;
import dev.slipway.zk.LeaderElection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This framework instance's part in the election: it schedules only while it leads. Each term of
 * leadership gets a scheduler of its own, made when the instance is elected (it subscribes to Mesos
 * with the stored FrameworkID and reconciles, as after a restart) and closed the moment the
 * instance is deposed, so that a former leader makes no Mesos call and writes nothing. Between
 * terms, and on a follower, pokes go nowhere and nothing is subscribed.
 */
public final class Leadership implements LeaderElection.Listener, Standing, OneOffDesk, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final LeaderElection election;
    private final Supplier<Scheduler> schedulers;
    private final Runnable onElected;
    private final Runnable onDeposed;
    private final CountDownLatch electedOnce = new CountDownLatch(1);
    private volatile Scheduler current;

    /**
     * @param schedulers makes the scheduler of a new term (with a Mesos driver of its own)
     * @param onElected  what a new leader does first, before it schedules (blocking is fine)
     */
    public Leadership(LeaderElection election, Supplier<Scheduler> schedulers, Runnable onElected) {
        this(election, schedulers, onElected, () -> { });
    }

    /** The same, with {@code onDeposed}: what a leader does once its scheduler has stopped (must not throw). */
    public Leadership(LeaderElection election, Supplier<Scheduler> schedulers, Runnable onElected,
                      Runnable onDeposed) {
        this.election = election;
        this.schedulers = schedulers;
        this.onElected = onElected;
        this.onDeposed = onDeposed;
    }

    /** Joins the election. */
    public void start() {
        election.start(this);
    }

    @Override
    public synchronized void elected() {
        if (current != null || !election.leads()) {
            return;
        }
        try {
            onElected.run();
        } catch (RuntimeException e) {
            // Not a reason to leave the cluster without a scheduler.
            LOG.error("on election: {}", e.getMessage(), e);
        }
        Scheduler scheduler = schedulers.get();
        current = scheduler;
        scheduler.start();
        electedOnce.countDown();
        LOG.info("leading: the scheduler subscribes to Mesos");
    }

    /**
     * Waits (at most {@code timeout}) until this instance leads or knows another that does: the
     * election takes a moment after {@link #start}, and until it settles the API could only answer
     * 503. Blocking.
     */
    public void awaitStanding(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!leads() && System.nanoTime() < deadline) {
            Optional<URI> leader = leader();
            if (leader.isPresent() && !leader.get().equals(self())) {
                return;
            }
            electedOnce.await(50, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void deposed() {
        Scheduler scheduler = current;
        current = null;
        if (scheduler != null) {
            scheduler.close();
            LOG.info("following: the scheduler stopped");
            onDeposed.run();
        }
    }

    /** One-off dynos go to the leading scheduler; a follower refuses them (the API forwards to the leader). */
    private OneOffDesk desk() {
        Scheduler scheduler = current;
        return scheduler == null ? OneOffDesk.NONE : scheduler;
    }

    @Override
    public CompletableFuture<OneOff> run(String app, String command, Map<String, String> env, Size size,
                                         long timeToLiveSeconds) {
        return desk().run(app, command, env, size, timeToLiveSeconds);
    }

    @Override
    public CompletableFuture<Boolean> stop(String app, String name) {
        return desk().stop(app, name);
    }

    @Override
    public boolean pending(String app, String name) {
        return desk().pending(app, name);
    }

    /** Asks the leading scheduler for a planning round; nothing on a follower. */
    public void poke() {
        Scheduler scheduler = current;
        if (scheduler != null) {
            scheduler.poke();
        }
    }

    public boolean isSubscribed() {
        Scheduler scheduler = current;
        return scheduler != null && scheduler.isSubscribed();
    }

    public Map<String, List<String>> vetoes() {
        Scheduler scheduler = current;
        return scheduler == null ? Map.of() : scheduler.vetoes();
    }

    @Override
    public boolean leads() {
        return current != null && election.leads();
    }

    @Override
    public Optional<URI> leader() {
        return election.leader();
    }

    @Override
    public URI self() {
        return election.self();
    }

    /** Leaves the election and stops the scheduler if this instance leads. */
    @Override
    public void close() {
        election.close();
        deposed();
    }
}
