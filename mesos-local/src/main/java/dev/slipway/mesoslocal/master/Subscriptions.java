package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.agent.AgentLink;
import dev.slipway.mesoslocal.allocator.Allocator;
import dev.slipway.mesoslocal.http.EventStream;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's framework subscriptions: SUBSCRIBE and failover, heartbeats, disconnection and
 * the failover timeout, and removal of frameworks (kept as completed ones). Part of
 * {@link Master}, sharing its registered frameworks; every method runs on the core context.
 */
final class Subscriptions {
    // Logs under the master's name, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(Master.class);
    private static final int MAX_COMPLETED_FRAMEWORKS = 50;
    private static final Duration MAX_FAILOVER_TIMEOUT = Duration.ofDays(365);

    private final Vertx vertx;
    private final Clock clock;
    private final MasterInfo info;
    private final Duration heartbeatInterval;
    private final Collection<AgentLink> agents;
    private final Offers offers;
    private final Allocator allocator;
    private final Tasks tasks;
    private final Map<String, Framework> frameworks;
    private final Map<String, Framework> completedFrameworks = new LinkedHashMap<>();
    private final Set<String> removedFrameworkIds = new HashSet<>();
    private long nextFrameworkId;

    /**
     * Subscriptions of the registered {@code frameworks} (the master's map, kept up to date here)
     * with the live view {@code agents} of the master's agents.
     */
    Subscriptions(Vertx vertx, Clock clock, MasterInfo info, Duration heartbeatInterval, Collection<AgentLink> agents,
            Offers offers, Tasks tasks, Map<String, Framework> frameworks) {
        this.vertx = vertx;
        this.clock = clock;
        this.info = info;
        this.heartbeatInterval = heartbeatInterval;
        this.agents = agents;
        this.offers = offers;
        this.allocator = offers.allocator();
        this.tasks = tasks;
        this.frameworks = frameworks;
    }

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

    /**
     * SUBSCRIBE on an open stream: a new framework, or a known one failing over to this stream.
     * False when the subscription was refused (the stream is then closed).
     */
    boolean subscribe(EventStream stream, Call.Subscribe subscribe) {
        FrameworkInfo requested = subscribe.getFrameworkInfo();
        String error = Validation.frameworkInfo(requested);
        if (error == null && requested.hasId() && removedFrameworkIds.contains(requested.getId().getValue())) {
            error = "Framework has been removed";
        }
        Framework known = requested.hasId() ? frameworks.get(requested.getId().getValue()) : null;
        if (error == null && known != null && known.info.hasPrincipal()
                && !known.info.getPrincipal().equals(requested.getPrincipal())) {
            // Else any principal could fail a framework over to itself and then tear it down. (One
            // registered with no principal, before authentication was on, may take one.)
            error = "Changing framework's principal is not allowed.";
        }
        if (error != null) {
            LOG.info("Refusing subscription of framework '{}': {}", requested.getName(), error);
            stream.send(Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage(error)).build());
            stream.close();
            return false;
        }
        Framework framework = known;
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
        return true;
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
        agents.forEach(agent -> agent.updateFramework(framework.info));
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
                .setHeartbeatIntervalSeconds(heartbeatInterval.toMillis() / 1000.0)
                .setMasterInfo(info)).build());
        long interval = heartbeatInterval.toMillis();
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
        agents.forEach(agent -> agent.shutdownFramework(framework.id));
        frameworks.remove(framework.id);
        removedFrameworkIds.add(framework.id);
        completedFrameworks.put(framework.id, framework);
        if (completedFrameworks.size() > MAX_COMPLETED_FRAMEWORKS) {
            completedFrameworks.remove(completedFrameworks.keySet().iterator().next());
        }
    }

    Collection<Framework> completedFrameworks() {
        return new ArrayList<>(completedFrameworks.values());
    }

    /** Closes every subscription and cancels the failover timers. */
    void stop() {
        for (Framework framework : frameworks.values()) {
            if (framework.stream != null) {
                framework.stream.close();
            }
            if (framework.failoverTimer != -1) {
                vertx.cancelTimer(framework.failoverTimer);
            }
        }
    }

    private void cancel(long timer) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }
}
