package dev.slipway.mesoslocal;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.agent.Agent;
import dev.slipway.mesoslocal.agent.AgentCheckpoint;
import dev.slipway.mesoslocal.agent.AgentLink;
import dev.slipway.mesoslocal.agent.AgentSettings;
import dev.slipway.mesoslocal.agent.ExecutorApi;
import dev.slipway.mesoslocal.agent.GarbageCollector;
import dev.slipway.mesoslocal.agent.MasterLink;
import dev.slipway.mesoslocal.agent.SimulatedAgent;
import dev.slipway.mesoslocal.auth.Authentication;
import dev.slipway.mesoslocal.auth.ExecutorTokens;
import dev.slipway.mesoslocal.auth.HttpAuthentication;
import dev.slipway.mesoslocal.fetcher.Fetcher;
import dev.slipway.mesoslocal.master.Master;
import dev.slipway.mesoslocal.master.SchedulerApi;
import dev.slipway.mesoslocal.master.StateEndpoint;
import dev.slipway.mesoslocal.master.TeardownEndpoint;
import dev.slipway.mesoslocal.resources.Ranges;
import dev.slipway.mesoslocal.resources.Resources;
import dev.slipway.mesoslocal.task.StatusUpdate;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring of a starting {@link MesosLocal} once both servers listen: master and agent
 * identities, the agent (or simulated agents) and the master they report to, and the routes.
 */
final class Wiring {
    // Logs under mesos-local's name, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(MesosLocal.class);
    private static final String VERSION = "1.11.0";

    /** What {@link #wire} built, for {@link MesosLocal} to run and close. */
    record Wired(Master master, Agent agent, List<SimulatedAgent> simulated, URI masterUri, URI agentUri) {
    }

    private Wiring() {
    }

    /**
     * Builds the master and its agent (or simulated agents), takes back a checkpoint when there is
     * one, routes both servers' APIs and starts the master; runs on the core context.
     */
    static Wired wire(Vertx vertx, Context core, WorkerExecutor workers, Fetcher fetcher, MesosLocalConfig config,
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
                flags.statusUpdateRetryMin(), flags.statusUpdateRetryMax(), flags.executorReregistrationTimeout(),
                flags.recover());
        MasterRef masterRef = new MasterRef();
        GarbageCollector gc = new GarbageCollector(clock, flags.gcDelay(), flags.gcDiskHeadroom(),
                removal -> workers.executeBlocking(() -> {
                    removal.run();
                    return null;
                }, false));
        Agent agent = Agent.create(vertx, core, workers, fetcher, settings, agentInfo, ip,
                config.host() + ":" + agentPort, clock, masterRef, gc);
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
            Recovery.recover(checkpoint, master, agent);
        }
        if (simulated == null) {
            agent.startGarbageCollection(vertx, core, workers, config.workDir(), flags.diskWatchInterval());
        }

        Authentication auth = flags.authentication();
        if (auth.frameworks()) {
            masterRouter.route("/api/v1/scheduler")
                    .handler(HttpAuthentication.basic(HttpAuthentication.MASTER_SCHEDULER_REALM, auth.credentials()));
        }
        if (auth.readonly()) {
            masterRouter.route("/master/state*")
                    .handler(HttpAuthentication.basic(HttpAuthentication.MASTER_READONLY_REALM, auth.credentials()));
            // Read-write operator endpoints are authenticated whenever read-only ones are.
            masterRouter.route("/master/teardown")
                    .handler(HttpAuthentication.basic(HttpAuthentication.MASTER_READWRITE_REALM, auth.credentials()));
        }
        masterRouter.route("/api/v1/scheduler").handler(new SchedulerApi(master, core));
        masterRouter.get("/master/state").handler(new StateEndpoint(master, clock.instant()));
        masterRouter.get("/master/state.json").handler(new StateEndpoint(master, clock.instant()));
        masterRouter.route("/master/teardown").handler(new TeardownEndpoint(master));
        // Health stays open, as in Mesos (AUTHENTICATION(false)).
        masterRouter.get("/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        masterRouter.get("/master/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        if (auth.executors()) {
            ExecutorTokens tokens = new ExecutorTokens(auth.executorSecretKey(), clock);
            agent.authenticateExecutors(tokens);
            agentRouter.route("/api/v1/executor").handler(HttpAuthentication.executorToken(tokens));
        }
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
        LOG.info("mesos-local authenticates {}", auth.frameworks() || auth.readonly() || auth.executors()
                ? (auth.frameworks() ? "frameworks, " : "") + (auth.readonly() ? "read-only endpoints, " : "")
                        + (auth.executors() ? "executors, " : "") + "principals " + auth.credentials().keySet()
                : "nothing (no credentials configured)");
        return new Wired(master, agent, List.copyOf(simulatedAgents), masterUri, agentUri);
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
