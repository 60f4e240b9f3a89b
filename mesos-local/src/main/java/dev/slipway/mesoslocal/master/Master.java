package dev.slipway.mesoslocal.master;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.agent.AgentLink;
import dev.slipway.mesoslocal.agent.MasterLink;
import dev.slipway.mesoslocal.allocator.Allocator;
import dev.slipway.mesoslocal.http.EventStream;
import dev.slipway.mesoslocal.resources.Resources;
import dev.slipway.mesoslocal.task.StatusUpdate;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
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
    private static final int MAX_COMPLETED_FRAMEWORKS = 50;
    private static final Duration MAX_FAILOVER_TIMEOUT = Duration.ofDays(365);

    /** Durations the master works by (Mesos flags and constants). */
    public record Settings(Duration heartbeatInterval, Duration allocationInterval, Duration offerTimeout) {
    }

    private final Vertx vertx;
    private final Clock clock;
    private final MasterInfo info;
    private final Map<String, AgentLink> agents = new LinkedHashMap<>();
    private final Allocator allocator;
    private final Settings settings;
    private final Tasks tasks;
    private final Map<String, Framework> frameworks = new LinkedHashMap<>();
    private final Map<String, Framework> completedFrameworks = new LinkedHashMap<>();
    private final Set<String> removedFrameworkIds = new HashSet<>();
    private final Offers offers;
    private long nextFrameworkId;
    private long allocationTimer = -1;
    private boolean allocationPending;

    /** A master for {@code agents}, each offering all the resources of its {@code AgentInfo}. */
    public Master(Vertx vertx, Clock clock, MasterInfo info, List<? extends AgentLink> agents, Settings settings) {
        this.vertx = vertx;
        this.clock = clock;
        this.info = info;
        this.settings = settings;
        this.offers = new Offers(vertx, info.getId(), this.agents::get, settings.offerTimeout(), frameworks::get,
                sink -> new Allocator(clock, sink));
        this.allocator = offers.allocator();
        for (AgentLink agent : agents) {
            this.agents.put(agent.id(), agent);
            allocator.addAgent(agent.id(), Resources.of(agent.info().getResourcesList()));
        }
        this.tasks = new Tasks(this.agents, allocator, clock);
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
        for (Framework framework : frameworks.values()) {
            if (framework.stream != null) {
                framework.stream.close();
            }
            if (framework.failoverTimer != -1) {
                vertx.cancelTimer(framework.failoverTimer);
            }
        }
        offers.stop();
    }

    // ---- recovery ----

    /**
     * A framework known from an agent's checkpoint after a restart: registered but disconnected,
     * removed unless it re-subscribes (with its id) within its failover timeout.
     */
    public void recoverFramework(FrameworkInfo frameworkInfo) {
        String id = frameworkInfo.getId().getValue();
        if (frameworks.containsKey(id)) {
            return;
        }
        Framework framework = new Framework(frameworkInfo, clock.instant());
        frameworks.put(id, framework);
        allocator.addFramework(id, false);
        String prefix = info.getId() + "-";
        if (id.startsWith(prefix)) {
            try {
                nextFrameworkId = Math.max(nextFrameworkId, Long.parseLong(id.substring(prefix.length())) + 1);
            } catch (NumberFormatException e) {
                // Not an id this master made: nothing to step over.
            }
        }
        LOG.info("Recovered framework {} from the agent's checkpoint", framework);
        disconnected(framework);
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
        FrameworkInfo requested = subscribe.getFrameworkInfo();
        String error = Validation.frameworkInfo(requested);
        if (error == null && requested.hasId() && removedFrameworkIds.contains(requested.getId().getValue())) {
            error = "Framework has been removed";
        }
        if (error != null) {
            LOG.info("Refusing subscription of framework '{}': {}", requested.getName(), error);
            stream.send(Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage(error)).build());
            stream.close();
            return;
        }
        Framework framework = requested.hasId() ? frameworks.get(requested.getId().getValue()) : null;
        if (framework == null) {
            String id = requested.hasId() ? requested.getId().getValue()
                    : info.getId() + "-" + String.format("%04d", nextFrameworkId++);
            FrameworkInfo withId = requested.toBuilder().setId(FrameworkID.newBuilder().setValue(id)).build();
            framework = new Framework(withId, clock.instant());
            frameworks.put(id, framework);
            allocator.addFramework(id, subscribe.getSuppressedRolesList().contains(framework.role()));
            connect(framework, stream);
            LOG.info("Framework {} subscribed{}", framework, requested.hasId() ? " with the id it had" : "");
        } else {
            failover(framework, stream, subscribe);
        }
        scheduleAllocation();
    }

    private void failover(Framework framework, EventStream stream, Call.Subscribe subscribe) {
        if (framework.connected()) {
            framework.send(Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage("Framework failed over")).build());
            framework.stream.close();
        }
        cancel(framework.failoverTimer);
        framework.failoverTimer = -1;
        framework.info = subscribe.getFrameworkInfo().toBuilder()
                .setId(FrameworkID.newBuilder().setValue(framework.id)).build();
        framework.reregisteredTime = clock.instant();
        // Offers are rescinded and regenerated each time a framework (re-)subscribes.
        offers.removeAll(framework);
        allocator.activate(framework.id);
        allocator.setSuppressed(framework.id, subscribe.getSuppressedRolesList().contains(framework.role()));
        connect(framework, stream);
        LOG.info("Framework {} failed over to a new subscription", framework);
        agents.values().forEach(agent -> agent.updateFramework(framework.info));
    }

    private void connect(Framework framework, EventStream stream) {
        framework.stream = stream;
        stream.onDisconnect(() -> {
            if (framework.stream == stream) {
                disconnected(framework);
            }
        });
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(FrameworkID.newBuilder().setValue(framework.id))
                .setHeartbeatIntervalSeconds(settings.heartbeatInterval().toMillis() / 1000.0)
                .setMasterInfo(info)).build());
        long interval = settings.heartbeatInterval().toMillis();
        Event heartbeat = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
        vertx.setPeriodic(interval, interval, id -> {
            if (stream.isOpen()) {
                stream.send(heartbeat);
            } else {
                vertx.cancelTimer(id);
            }
        });
    }

    private void disconnected(Framework framework) {
        framework.stream = null;
        framework.unregisteredTime = clock.instant();
        allocator.deactivate(framework.id);
        offers.removeAll(framework);
        double seconds = framework.info.getFailoverTimeout();
        Duration timeout = seconds >= MAX_FAILOVER_TIMEOUT.toSeconds() ? MAX_FAILOVER_TIMEOUT
                : Duration.ofNanos((long) (seconds * 1e9));
        LOG.info("Framework {} disconnected; removing it unless it re-subscribes within {} s", framework, seconds);
        framework.failoverTimer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
            framework.failoverTimer = -1;
            if (!framework.connected() && frameworks.get(framework.id) == framework) {
                LOG.info("Framework failover timeout, removing framework {}", framework);
                removeFramework(framework);
            }
        });
    }

    /** TEARDOWN, or a failover timeout: shut its executors down and forget the framework. */
    void removeFramework(Framework framework) {
        LOG.info("Removing framework {}", framework);
        cancel(framework.failoverTimer);
        framework.failoverTimer = -1;
        if (framework.stream != null) {
            framework.stream.close();
            framework.stream = null;
        }
        offers.removeAll(framework);
        tasks.removeAll(framework);
        allocator.removeFramework(framework.id);
        agents.values().forEach(agent -> agent.shutdownFramework(framework.id));
        frameworks.remove(framework.id);
        removedFrameworkIds.add(framework.id);
        completedFrameworks.put(framework.id, framework);
        if (completedFrameworks.size() > MAX_COMPLETED_FRAMEWORKS) {
            completedFrameworks.remove(completedFrameworks.keySet().iterator().next());
        }
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
        return new ArrayList<>(completedFrameworks.values());
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

    private void cancel(long timer) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }
}
