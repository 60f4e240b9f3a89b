package dev.slipway.mesoslocal.master;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.agent.AgentLink;
import dev.slipway.mesoslocal.agent.MasterLink;
import dev.slipway.mesoslocal.allocator.Allocator;
import dev.slipway.mesoslocal.http.EventStream;
import dev.slipway.mesoslocal.resources.Ranges;
import dev.slipway.mesoslocal.resources.Resources;
import dev.slipway.mesoslocal.task.StatusUpdate;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master: frameworks and their subscriptions, offers, and the scheduler calls, as a Mesos
 * 1.11 master handles them for its agents (the real one, or simulated ones). Every method runs on
 * the core context.
 */
public final class Master implements MasterLink {
    private static final Logger LOG = LoggerFactory.getLogger(Master.class);

    /** Durations the master works by (Mesos flags and constants). */
    public record Settings(Duration heartbeatInterval, Duration allocationInterval, Duration offerTimeout) {
    }

    private final Vertx vertx;
    private final MasterInfo info;
    private final Map<String, AgentLink> agents = new LinkedHashMap<>();
    private final Allocator allocator;
    private final Settings settings;
    private final Tasks tasks;
    private final Map<String, Framework> frameworks = new LinkedHashMap<>();
    private final Offers offers;
    private final Subscriptions subscriptions;
    private long allocationTimer = -1;
    private boolean allocationPending;

    /** A master for {@code agents}, each offering all the resources of its {@code AgentInfo}. */
    public Master(Vertx vertx, Clock clock, MasterInfo info, List<? extends AgentLink> agents, Settings settings) {
        this.vertx = vertx;
        this.info = info;
        this.settings = settings;
        this.offers = new Offers(vertx, info.getId(), this.agents::get, settings.offerTimeout(), frameworks::get,
                sink -> new Allocator(clock, sink, agentId -> {
                    AgentLink agent = this.agents.get(agentId);
                    return agent == null ? Ranges.EMPTY : agent.portsInUse();
                }));
        this.allocator = offers.allocator();
        for (AgentLink agent : agents) {
            this.agents.put(agent.id(), agent);
            allocator.addAgent(agent.id(), Resources.of(agent.info().getResourcesList()));
        }
        this.tasks = new Tasks(this.agents, allocator, clock);
        this.subscriptions = new Subscriptions(vertx, clock, info, settings.heartbeatInterval(),
                this.agents.values(), offers, tasks, frameworks);
    }

    public MasterInfo info() {
        return info;
    }

    /** Starts the allocation cycle. */
    public void start() {
        long interval = settings.allocationInterval().toMillis();
        allocationTimer = vertx.setPeriodic(interval, interval, id -> allocator.runOnce());
    }

    public void stop() {
        if (allocationTimer != -1) {
            vertx.cancelTimer(allocationTimer);
        }
        subscriptions.stop();
        offers.stop();
    }

    // ---- recovery ----

    /**
     * A framework known from an agent's checkpoint after a restart: registered but disconnected,
     * removed unless it re-subscribes (with its id) within its failover timeout.
     */
    public void recoverFramework(FrameworkInfo frameworkInfo) {
        subscriptions.recoverFramework(frameworkInfo);
    }

    /** An executor of a recovered framework, its resources counted as used. */
    public void recoverExecutor(String frameworkId, String agentId, ExecutorInfo executor) {
        Framework framework = frameworks.get(frameworkId);
        if (framework != null && framework.executorsOn(agentId).putIfAbsent(executor.getExecutorId().getValue(),
                executor) == null) {
            allocator.allocate(frameworkId, agentId, Resources.of(executor.getResourcesList()));
        }
    }

    /** A task of a recovered framework with its latest state (and status, when there was one). */
    public void recoverTask(String frameworkId, TaskInfo task, TaskState state, TaskStatus latest) {
        Framework framework = frameworks.get(frameworkId);
        if (framework != null) {
            tasks.recover(framework, task, state, latest);
        }
    }

    // ---- subscriptions ----

    /** SUBSCRIBE on an open stream: a new framework, or a known one failing over to this stream. */
    void subscribe(EventStream stream, Call.Subscribe subscribe) {
        if (subscriptions.subscribe(stream, subscribe)) {
            scheduleAllocation();
        }
    }

    /** TEARDOWN, or a failover timeout: shut its executors down and forget the framework. */
    void removeFramework(Framework framework) {
        subscriptions.removeFramework(framework);
    }

    Framework framework(String id) {
        return frameworks.get(id);
    }

    // ---- offers ----

    private void scheduleAllocation() {
        if (!allocationPending) {
            allocationPending = true;
            vertx.runOnContext(v -> {
                allocationPending = false;
                allocator.runOnce();
            });
        }
    }

    // ---- calls ----

    void accept(Framework framework, Call.Accept accept) {
        Offers.Taken taken = offers.take(framework, accept.getOfferIdsList());
        if (taken.error() != null) {
            LOG.warn("ACCEPT call of framework {} used invalid offers: {}", framework, taken.error());
            tasks.dropLaunches(framework, accept.getOperationsList(),
                    "Task launched with invalid offers: " + taken.error());
            return;
        }
        AgentLink agent = agents.get(taken.agentId());
        Resources remaining = tasks.launch(framework, agent, taken.resources(), accept.getOperationsList());
        if (!remaining.isEmpty()) {
            allocator.recover(framework.id, agent.id(), remaining, accept.getFilters().getRefuseSeconds());
        }
    }

    void decline(Framework framework, Call.Decline decline) {
        offers.decline(framework, decline);
    }

    void revive(Framework framework, Call.Revive revive) {
        if (revive.getRolesCount() == 0 || revive.getRolesList().contains(framework.role())) {
            allocator.revive(framework.id);
            scheduleAllocation();
        }
    }

    void suppress(Framework framework, Call.Suppress suppress) {
        if (suppress.getRolesCount() == 0 || suppress.getRolesList().contains(framework.role())) {
            allocator.suppress(framework.id);
        }
    }

    /** UPDATE_FRAMEWORK: null when applied, else why it was refused. */
    String updateFramework(Framework framework, Call.UpdateFramework update) {
        FrameworkInfo next = update.getFrameworkInfo();
        String error = Validation.frameworkInfo(next);
        if (error == null && !next.getUser().equals(framework.info.getUser())) {
            error = "Updating 'FrameworkInfo.user' is unsupported";
        } else if (error == null && next.getCheckpoint() != framework.info.getCheckpoint()) {
            error = "Updating 'FrameworkInfo.checkpoint' is unsupported";
        } else if (error == null && !next.getPrincipal().equals(framework.info.getPrincipal())) {
            error = "Updating 'FrameworkInfo.principal' is unsupported";
        }
        if (error != null) {
            return error;
        }
        framework.info = next;
        allocator.setSuppressed(framework.id, update.getSuppressedRolesList().contains(framework.role()));
        agents.values().forEach(agent -> agent.updateFramework(next));
        LOG.info("Updated framework {}", framework);
        scheduleAllocation();
        return null;
    }

    void kill(Framework framework, Call.Kill kill) {
        tasks.kill(framework, kill);
    }

    void shutdown(Framework framework, Call.Shutdown shutdown) {
        AgentLink agent = agents.get(shutdown.getAgentId().getValue());
        if (agent == null) {
            LOG.warn("Ignoring SHUTDOWN of executor '{}' on unknown agent {}",
                    shutdown.getExecutorId().getValue(), shutdown.getAgentId().getValue());
            return;
        }
        LOG.info("Telling agent {} to shut down executor '{}' of framework {}", agent.id(),
                shutdown.getExecutorId().getValue(), framework);
        agent.shutdownExecutor(framework.id, shutdown.getExecutorId().getValue());
    }

    void acknowledge(Framework framework, Call.Acknowledge acknowledge) {
        tasks.acknowledge(framework, acknowledge);
    }

    void reconcile(Framework framework, Call.Reconcile reconcile) {
        tasks.reconcile(framework, reconcile);
    }

    void message(Framework framework, Call.Message message) {
        AgentLink agent = agents.get(message.getAgentId().getValue());
        if (agent == null) {
            LOG.warn("Dropping message of framework {} for unknown agent {}", framework,
                    message.getAgentId().getValue());
            return;
        }
        agent.frameworkMessage(framework.id, message.getExecutorId().getValue(), message.getData());
    }

    // ---- from the agent ----

    @Override
    public void statusUpdate(StatusUpdate update) {
        Framework framework = frameworks.get(update.frameworkId());
        if (framework == null) {
            LOG.warn("Ignoring status update {} for task {} of unknown framework {}",
                    update.status().getState(), update.taskId(), update.frameworkId());
            return;
        }
        tasks.statusUpdate(framework, update);
    }

    @Override
    public void exitedExecutor(String agentId, String frameworkId, String executorId, int status) {
        Framework framework = frameworks.get(frameworkId);
        if (framework != null) {
            tasks.exitedExecutor(framework, agentId, executorId, status);
        }
    }

    @Override
    public void executorMessage(String agentId, String frameworkId, String executorId, ByteString data) {
        Framework framework = frameworks.get(frameworkId);
        if (framework == null || !framework.connected()) {
            LOG.warn("Dropping message from executor '{}' of framework {}: not connected", executorId, frameworkId);
            return;
        }
        framework.send(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
                .setAgentId(AgentID.newBuilder().setValue(agentId))
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
                .setData(data)).build());
    }

    // ---- views for the state endpoint ----

    Collection<Framework> frameworks() {
        return List.copyOf(frameworks.values());
    }

    Collection<Framework> completedFrameworks() {
        return subscriptions.completedFrameworks();
    }

    Collection<OutstandingOffer> offers() {
        return offers.all();
    }

    Resources offeredTo(Framework framework) {
        return offers.offeredTo(framework);
    }

    Allocator allocator() {
        return allocator;
    }

    Collection<AgentLink> agents() {
        return List.copyOf(agents.values());
    }

}
