package dev.slipway.mesoslocal;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.agent.Agent;
import dev.slipway.mesoslocal.agent.AgentCheckpoint;
import dev.slipway.mesoslocal.agent.AgentLink;
import dev.slipway.mesoslocal.agent.AgentSettings;
import dev.slipway.mesoslocal.agent.ExecutorApi;
import dev.slipway.mesoslocal.agent.MasterLink;
import dev.slipway.mesoslocal.agent.SimulatedAgent;
import dev.slipway.mesoslocal.master.Master;
import dev.slipway.mesoslocal.master.SchedulerApi;
import dev.slipway.mesoslocal.master.StateEndpoint;
import dev.slipway.mesoslocal.resources.Ranges;
import dev.slipway.mesoslocal.resources.Resources;
import dev.slipway.mesoslocal.task.StatusUpdate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
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
    private static final String VERSION = "1.11.0";
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
        this.shutdownHook = flags.recover() ? null
                : new Thread(agent::killAllContainersNow, "mesos-local-kill-executors");
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
        AgentCheckpoint checkpoint = flags.recover() ? AgentCheckpoint.read(config.workDir()) : null;
        Vertx vertx = Vertx.vertx();
        Context core = vertx.getOrCreateContext();
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("mesos-local-containerizer", 8, 30,
                TimeUnit.MINUTES);
        CompletableFuture<MesosLocal> started = new CompletableFuture<>();
        core.runOnContext(v -> listen(vertx, core, workers, config, flags, simulated, checkpoint)
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

    private static Future<MesosLocal> listen(Vertx vertx, Context core, WorkerExecutor workers,
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
                .map(m -> assemble(vertx, core, workers, config, flags, simulated, checkpoint, agentRouter,
                        masterRouter, agentServer.actualPort(), masterServer.actualPort()));
    }

    private static MesosLocal assemble(Vertx vertx, Context core, WorkerExecutor workers, MesosLocalConfig config,
            MesosLocalFlags flags, SimulatedAgents simulated, AgentCheckpoint checkpoint, Router agentRouter,
            Router masterRouter, int agentPort, int masterPort) {
        Clock clock = Clock.systemUTC();
        String ip = ipOf(config.host());
        String masterId = checkpoint != null ? checkpoint.masterId() : UUID.randomUUID().toString();
        Resources resources = Resources.scalar("cpus", config.cpus())
                .plus(Resources.scalar("mem", config.memMb()))
                .plus(Resources.scalar("disk", config.diskMb()))
                .plus(Resources.ranges("ports", Ranges.of(config.portsBegin(), config.portsEnd())));
        AgentInfo agentInfo = AgentInfo.newBuilder()
                .setHostname(config.hostname())
                .setPort(agentPort)
                .setId(AgentID.newBuilder().setValue(masterId + "-S0"))
                .addAllResources(resources.toProtos(null))
                .build();
        MasterInfo masterInfo = MasterInfo.newBuilder()
                .setId(masterId)
                .setIp(ipv4AsMesosInt(ip))
                .setPort(masterPort)
                .setPid("master@" + ip + ":" + masterPort)
                .setHostname(config.hostname())
                .setVersion(VERSION)
                .setAddress(Address.newBuilder().setHostname(config.hostname()).setIp(ip).setPort(masterPort))
                .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_UPDATE))
                .addCapabilities(MasterInfo.Capability.newBuilder()
                        .setType(MasterInfo.Capability.Type.AGENT_DRAINING))
                .build();
        AgentSettings settings = new AgentSettings(config.workDir(), config.host(), config.hostname(),
                flags.executorRegistrationTimeout(), flags.executorShutdownGracePeriod(), flags.heartbeatInterval(),
                flags.statusUpdateRetryMin(), flags.statusUpdateRetryMax(), flags.executorReregistrationTimeout());
        MasterRef masterRef = new MasterRef();
        Agent agent = Agent.create(vertx, core, workers, settings, agentInfo, ip, config.host() + ":" + agentPort,
                clock, masterRef);
        List<SimulatedAgent> simulatedAgents = new ArrayList<>();
        if (simulated != null) {
            for (int i = 0; i < simulated.count(); i++) {
                AgentInfo info = simulated.agentInfo(i, masterId, agentPort);
                simulatedAgents.add(new SimulatedAgent(vertx, info, agent.url().toBuilder()
                        .setAddress(agent.url().getAddress().toBuilder().setHostname(info.getHostname())).build(),
                        clock, masterRef, settings));
            }
        }
        List<AgentLink> agents = simulated != null ? List.copyOf(simulatedAgents) : List.of(agent);
        Master master = new Master(vertx, clock, masterInfo, agents,
                new Master.Settings(flags.heartbeatInterval(), flags.allocationInterval(), flags.offerTimeout()));
        masterRef.master = master;
        if (flags.recover()) {
            agent.enableCheckpointing(workers, config.workDir(), masterId);
        }
        if (checkpoint != null) {
            recover(checkpoint, master, agent);
        }

        masterRouter.route("/api/v1/scheduler").handler(new SchedulerApi(master, core));
        masterRouter.get("/master/state").handler(new StateEndpoint(master, clock.instant()));
        masterRouter.get("/master/state.json").handler(new StateEndpoint(master, clock.instant()));
        masterRouter.get("/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        masterRouter.get("/master/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        agentRouter.route("/api/v1/executor").handler(new ExecutorApi(agent, core));
        agentRouter.get("/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        agentRouter.get("/slave(1)/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        master.start();

        URI masterUri = URI.create("http://" + config.host() + ":" + masterPort);
        URI agentUri = URI.create("http://" + config.host() + ":" + agentPort);
        if (simulated != null) {
            LOG.info("mesos-local started: master {} (id {}) with {} simulated agents", masterUri, masterId,
                    simulated.count());
        } else {
            LOG.info("mesos-local started: master {} (id {}), agent {} (id {}) offering {}", masterUri, masterId,
                    agentUri, agentInfo.getId().getValue(), resources);
        }
        return new MesosLocal(vertx, core, flags, master, agent, List.copyOf(simulatedAgents), masterUri, agentUri);
    }

    /** The master learns the checkpointed frameworks and tasks first, then the agent takes its executors back. */
    private static void recover(AgentCheckpoint checkpoint, Master master, Agent agent) {
        checkpoint.frameworks().forEach(master::recoverFramework);
        for (AgentCheckpoint.ExecutorCheckpoint executor : checkpoint.executors()) {
            master.recoverExecutor(executor.frameworkId(), agent.id(), executor.info());
            for (AgentCheckpoint.TaskCheckpoint task : executor.tasks()) {
                if (task.tracked()) {
                    master.recoverTask(executor.frameworkId(), task.info(), task.state(), task.latest());
                }
            }
            for (TaskInfo task : executor.queued()) {
                master.recoverTask(executor.frameworkId(), task, TaskState.TASK_STAGING,
                        null);
            }
        }
        agent.recover(checkpoint);
        LOG.info("mesos-local recovered {} frameworks and {} executors from its checkpoint",
                checkpoint.frameworks().size(), checkpoint.executors().size());
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
            shutdownExecutors();
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

    private static String ipOf(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("mesos-local: cannot resolve host " + host, e);
        }
    }

    /** MasterInfo.ip: the IPv4 address in network byte order read as a little-endian uint32, as Mesos does. */
    private static int ipv4AsMesosInt(String ip) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            if (b.length != 4) {
                return 0;
            }
            return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        } catch (UnknownHostException e) {
            return 0;
        }
    }

    /** Lets the agent be built before the master it reports to. */
    private static final class MasterRef implements MasterLink {
        private Master master;

        @Override
        public void statusUpdate(StatusUpdate update) {
            master.statusUpdate(update);
        }

        @Override
        public void exitedExecutor(String agentId, String frameworkId, String executorId, int status) {
            master.exitedExecutor(agentId, frameworkId, executorId, status);
        }

        @Override
        public void executorMessage(String agentId, String frameworkId, String executorId, ByteString data) {
            master.executorMessage(agentId, frameworkId, executorId, data);
        }
    }
}
