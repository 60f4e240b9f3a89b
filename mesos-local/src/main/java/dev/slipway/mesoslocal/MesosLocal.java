package dev.slipway.mesoslocal;

import dev.slipway.mesoslocal.agent.Agent;
import dev.slipway.mesoslocal.agent.AgentCheckpoint;
import dev.slipway.mesoslocal.agent.SimulatedAgent;
import dev.slipway.mesoslocal.fetcher.Fetcher;
import dev.slipway.mesoslocal.master.Master;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Mesos 1.11 in this process: a master serving the v1 scheduler API and
 * one agent serving the v1 executor API, on loopback. Executors run as child processes in
 * sandboxes under the work directory, with the environment Mesos gives them.
 *
 * <p>With {@link SimulatedAgents} the master has those agents instead: they run no process, and
 * the agent server, though it listens, offers nothing.
 *
 * <p>Master and agent state live on one Vert.x event-loop context; fetching, process starts and
 * kills run on a worker pool.
 */
public final class MesosLocal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MesosLocal.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Context core;
    private final MesosLocalFlags flags;
    private final Master master;
    private final Agent agent;
    private final List<SimulatedAgent> simulated;
    private final URI masterUri;
    private final URI agentUri;
    private final Thread shutdownHook;
    private boolean closed;
    private boolean executorsStopped;

    private MesosLocal(Vertx vertx, Context core, MesosLocalFlags flags, Master master, Agent agent,
            List<SimulatedAgent> simulated, URI masterUri, URI agentUri) {
        this.vertx = vertx;
        this.core = core;
        this.flags = flags;
        this.master = master;
        this.agent = agent;
        this.simulated = simulated;
        this.masterUri = masterUri;
        this.agentUri = agentUri;
        // With recovery, executors outlive this process as they outlive a Mesos agent's restart.
        // Otherwise they are asked to shut down (and get the grace period to stop what they run,
        // containers included, which a SIGKILL of the executor would leave behind), then killed.
        this.shutdownHook = flags.recover() ? null : new Thread(() -> {
            stopExecutorsOnce();
            agent.killAllContainersNow();
        }, "mesos-local-stop-executors");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts with Mesos's default flags; blocks until both servers listen. */
    public static MesosLocal start(MesosLocalConfig config) {
        return start(config, MesosLocalFlags.defaults());
    }

    /**
     * Starts master and agent; blocks until both servers listen.
     *
     * @throws IllegalStateException when a server cannot listen (port taken) or start times out
     */
    public static MesosLocal start(MesosLocalConfig config, MesosLocalFlags flags) {
        return startWith(config, flags, null);
    }

    /**
     * Starts a master with simulated agents in place of the real one; blocks until both servers
     * listen. The config's resources and hostname are unused.
     *
     * @throws IllegalStateException when a server cannot listen (port taken) or start times out
     */
    public static MesosLocal start(MesosLocalConfig config, MesosLocalFlags flags, SimulatedAgents agents) {
        return startWith(config, flags, Objects.requireNonNull(agents, "mesos-local: simulated agents must be set"));
    }

    private static MesosLocal startWith(MesosLocalConfig config, MesosLocalFlags flags, SimulatedAgents simulated) {
        if (flags.recover() && simulated != null) {
            throw new IllegalArgumentException("mesos-local: recovery is not supported with simulated agents");
        }
        try {
            Files.createDirectories(config.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("mesos-local: cannot create the work directory " + config.workDir(), e);
        }
        if (!flags.recover() && simulated == null) {
            // Nothing will take them back: what an earlier agent left running goes now, ports and all.
            Agent.killLeftovers(config.workDir());
        }
        AgentCheckpoint checkpoint = flags.recover() ? AgentCheckpoint.read(config.workDir()) : null;
        Path fetcherCache = config.workDir().resolve("fetch");
        Fetcher fetcher;
        try {
            fetcher = new Fetcher(fetcherCache, flags.fetcherCacheSize());
        } catch (IOException e) {
            throw new UncheckedIOException("mesos-local: cannot clear the fetcher cache " + fetcherCache, e);
        }
        Vertx vertx = Vertx.vertx();
        Context core = vertx.getOrCreateContext();
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("mesos-local-containerizer", 8, 30,
                TimeUnit.MINUTES);
        CompletableFuture<MesosLocal> started = new CompletableFuture<>();
        core.runOnContext(v -> listen(vertx, core, workers, fetcher, config, flags, simulated, checkpoint)
                .onSuccess(started::complete)
                .onFailure(started::completeExceptionally));
        try {
            return started.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("mesos-local could not start on " + config.host() + " (master port "
                    + config.masterPort() + ", agent port " + config.agentPort() + "): " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vertx.close();
            throw new IllegalStateException("interrupted while starting mesos-local", e);
        }
    }

    private static Future<MesosLocal> listen(Vertx vertx, Context core, WorkerExecutor workers, Fetcher fetcher,
            MesosLocalConfig config, MesosLocalFlags flags, SimulatedAgents simulated, AgentCheckpoint checkpoint) {
        // Recovered executors reach the agent where they left it.
        int agentPort = checkpoint != null && config.agentPort() == 0 ? checkpoint.agentInfo().getPort()
                : config.agentPort();
        Router agentRouter = Router.router(vertx);
        Router masterRouter = Router.router(vertx);
        HttpServer agentServer = vertx.createHttpServer(new HttpServerOptions()).requestHandler(agentRouter);
        HttpServer masterServer = vertx.createHttpServer(new HttpServerOptions()).requestHandler(masterRouter);
        return agentServer.listen(agentPort, config.host())
                .compose(a -> masterServer.listen(config.masterPort(), config.host()))
                .map(m -> {
                    Wiring.Wired wired = Wiring.wire(vertx, core, workers, fetcher, config, flags, simulated,
                            checkpoint,
                            agentRouter, masterRouter, agentServer.actualPort(), masterServer.actualPort());
                    return new MesosLocal(vertx, core, flags, wired.master(), wired.agent(), wired.simulated(),
                            wired.masterUri(), wired.agentUri());
                });
    }

    /** The master, e.g. {@code http://127.0.0.1:5050}; the scheduler API is at {@code /api/v1/scheduler}. */
    public URI masterUri() {
        return masterUri;
    }

    /** The agent, e.g. {@code http://127.0.0.1:5051}; the executor API is at {@code /api/v1/executor}. */
    public URI agentUri() {
        return agentUri;
    }

    /**
     * Sends every executor a SHUTDOWN event, waits for them up to the shutdown grace period,
     * kills what remains, then stops both servers. With recovery, executors are left running
     * instead and a last checkpoint is written, for the next start to take them back. Call it
     * from a thread of your own, not an event loop.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (flags.recover()) {
            detach();
        } else {
            stopExecutorsOnce();
        }
        onCore(() -> {
            simulated.forEach(SimulatedAgent::stop);
            master.stop();
            return null;
        });
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook does its job.
            }
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("mesos-local did not stop cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("mesos-local stopped");
    }

    private void detach() {
        Future<Void> written = onCore(agent::detach);
        try {
            written.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("mesos-local left its executors running and checkpointed them for recovery");
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("mesos-local could not write its last checkpoint: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shutdown hook and {@link #close()} may both get here, at once: the executors are stopped once. */
    private synchronized void stopExecutorsOnce() {
        if (!executorsStopped) {
            executorsStopped = true;
            shutdownExecutors();
        }
    }

    private void shutdownExecutors() {
        List<ProcessHandle> processes = onCore(agent::shutdownAll);
        long deadline = System.nanoTime() + flags.executorShutdownGracePeriod().toNanos();
        for (ProcessHandle process : processes) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.info("Killing executor process {}: it did not exit within the shutdown grace period",
                        process.pid());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<ProcessHandle> tree = process.descendants().toList();
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        // What an executor started and left behind (or moved out of its tree) goes with its container.
        agent.killAllContainersNow();
    }

    private <T> T onCore(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        core.runOnContext(v -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("mesos-local: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
