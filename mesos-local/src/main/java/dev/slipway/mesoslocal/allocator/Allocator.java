package dev.slipway.mesoslocal.allocator;

import dev.slipway.mesoslocal.resources.Ranges;
import dev.slipway.mesoslocal.resources.Resources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos's hierarchical allocator, for the agents the master has. It tracks what is allocated
 * (offered or used by tasks and executors) per agent and per framework, and on each
 * {@link #runOnce()} offers, agent by agent, everything else on the agent to the framework with
 * the lowest dominant share that is active, not suppressed and not filtering those resources on
 * that agent: at most one offer per agent per cycle, the offers of a cycle batched per framework.
 *
 * <p>Not thread-safe: the master calls it from its own context only.
 */
public final class Allocator {
    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);
    /** Mesos's MIN_CPUS and MIN_MEM: less than both is not worth an offer. */
    private static final double MIN_CPUS = 0.01;
    private static final double MIN_MEM = 32;
    /** Mesos caps refuse_seconds at a year. */
    private static final Duration MAX_REFUSE = Duration.ofDays(365);

    /** Where offers go: one call per framework per cycle, with one offer per agent (by agent id). */
    @FunctionalInterface
    public interface OfferSink {
        void offer(String frameworkId, Map<String, Resources> byAgent);
    }

    /**
     * Ports of an agent that something outside Mesos's books is listening on (an orphan of a dead
     * executor, another program): they stay out of offers until they are free again.
     */
    @FunctionalInterface
    public interface PortsInUse {
        PortsInUse NONE = agentId -> Ranges.EMPTY;

        /** Must answer at once, without I/O: the allocator runs on an event loop. */
        Ranges of(String agentId);
    }

    private final Clock clock;
    private final OfferSink sink;
    private final PortsInUse portsInUse;
    private final Map<String, Client> clients = new LinkedHashMap<>();
    private final Map<String, Slave> agents = new LinkedHashMap<>();
    private Resources total = Resources.EMPTY;

    public Allocator(Clock clock, OfferSink sink) {
        this(clock, sink, PortsInUse.NONE);
    }

    public Allocator(Clock clock, OfferSink sink, PortsInUse portsInUse) {
        this.clock = clock;
        this.sink = sink;
        this.portsInUse = portsInUse;
    }

    private static final class Client {
        final String frameworkId;
        boolean active;
        boolean suppressed;
        Resources allocated = Resources.EMPTY;
        final Map<String, Resources> allocatedByAgent = new HashMap<>();
        final List<OfferFilter> filters = new ArrayList<>();

        Client(String frameworkId) {
            this.frameworkId = frameworkId;
        }

        void add(String agentId, Resources resources) {
            allocated = allocated.plus(resources);
            allocatedByAgent.merge(agentId, resources, Resources::plus);
        }

        void subtract(String agentId, Resources resources) {
            allocated = allocated.minus(resources);
            allocatedByAgent.computeIfPresent(agentId, (id, held) -> {
                Resources left = held.minus(resources);
                return left.isEmpty() ? null : left;
            });
        }
    }

    /** An agent's resources: its total and what is allocated of it. */
    private static final class Slave {
        final Resources total;
        Resources allocated = Resources.EMPTY;

        Slave(Resources total) {
            this.total = total;
        }
    }

    /** Resources of an agent declined until a time: offers of no more than these are held back until then. */
    record OfferFilter(String agentId, Resources refused, Instant expires) {
    }

    /** Adds an agent with all its resources free. */
    public void addAgent(String agentId, Resources resources) {
        if (agents.putIfAbsent(agentId, new Slave(resources)) != null) {
            throw new IllegalStateException("agent " + agentId + " is already known to the allocator");
        }
        total = total.plus(resources);
    }

    public void addFramework(String frameworkId, boolean suppressed) {
        Client client = clients.computeIfAbsent(frameworkId, Client::new);
        client.active = true;
        client.suppressed = suppressed;
    }

    /** Forgets the framework; whatever it still held must have been recovered first. */
    public void removeFramework(String frameworkId) {
        Client client = clients.remove(frameworkId);
        if (client != null) {
            client.allocatedByAgent.forEach((agentId, held) -> {
                Slave agent = agent(agentId);
                agent.allocated = agent.allocated.minus(held);
            });
        }
    }

    public void activate(String frameworkId) {
        client(frameworkId).active = true;
    }

    public void deactivate(String frameworkId) {
        Client client = client(frameworkId);
        client.active = false;
        // Mesos clears a framework's filters when it is deactivated (disconnects).
        client.filters.clear();
    }

    public void suppress(String frameworkId) {
        client(frameworkId).suppressed = true;
    }

    /** Removes every filter of the framework and lifts its suppression. */
    public void revive(String frameworkId) {
        Client client = client(frameworkId);
        client.filters.clear();
        client.suppressed = false;
    }

    public void setSuppressed(String frameworkId, boolean suppressed) {
        client(frameworkId).suppressed = suppressed;
    }

    /**
     * Marks resources of an agent as allocated to the framework outside an offer cycle. The master
     * uses it to account for an executor's resources that a launch adds beyond the offer.
     */
    public void allocate(String frameworkId, String agentId, Resources resources) {
        client(frameworkId).add(agentId, resources);
        Slave agent = agent(agentId);
        agent.allocated = agent.allocated.plus(resources);
    }

    /**
     * Returns resources of an agent (declined, unused, rescinded, or freed by a task or executor).
     * With {@code refuseSeconds} above zero a filter keeps these resources from the framework for
     * that long; Mesos replaces a negative value by the default of 5 seconds.
     */
    public void recover(String frameworkId, String agentId, Resources resources, double refuseSeconds) {
        Client client = clients.get(frameworkId);
        if (client != null) {
            client.subtract(agentId, resources);
        }
        Slave agent = agent(agentId);
        agent.allocated = agent.allocated.minus(resources);
        if (client == null || resources.isEmpty() || refuseSeconds == 0 || Double.isNaN(refuseSeconds)) {
            return;
        }
        double seconds = refuseSeconds;
        if (seconds < 0) {
            LOG.warn("Using the default value of 'refuse_seconds' to create the refused resources filter"
                    + " because the input value is negative");
            seconds = 5;
        }
        Duration timeout = seconds >= MAX_REFUSE.toSeconds()
                ? MAX_REFUSE
                : Duration.ofNanos((long) (seconds * 1_000_000_000L));
        client.filters.add(new OfferFilter(agentId, resources, clock.instant().plus(timeout)));
    }

    /** One allocation cycle: for each agent, at most one offer, of all it has available, to one framework. */
    public void runOnce() {
        Instant now = clock.instant();
        for (Client client : clients.values()) {
            client.filters.removeIf(filter -> !filter.expires().isAfter(now));
        }
        Map<String, Map<String, Resources>> offers = new LinkedHashMap<>();
        List<Client> candidates = new ArrayList<>(clients.values());
        for (Map.Entry<String, Slave> entry : agents.entrySet()) {
            Slave agent = entry.getValue();
            Resources available = agent.total.minus(agent.allocated);
            Ranges busy = portsInUse.of(entry.getKey());
            if (!busy.isEmpty()) {
                Resources held = Resources.ranges("ports", busy);
                if (!available.minus(held).equals(available)) {
                    LOG.debug("Leaving ports {} of agent {} out of offers: something listens on them", busy,
                            entry.getKey());
                }
                available = available.minus(held);
            }
            if (!allocatable(available)) {
                continue;
            }
            candidates.sort(Comparator.comparingDouble(this::dominantShare).thenComparing(c -> c.frameworkId));
            for (Client client : candidates) {
                if (!client.active || client.suppressed || filtered(client, entry.getKey(), available)) {
                    continue;
                }
                client.add(entry.getKey(), available);
                agent.allocated = agent.allocated.plus(available);
                offers.computeIfAbsent(client.frameworkId, id -> new LinkedHashMap<>()).put(entry.getKey(), available);
                break;
            }
        }
        offers.forEach(sink::offer);
    }

    /** The resources of all agents. */
    public Resources total() {
        return total;
    }

    public Resources total(String agentId) {
        return agent(agentId).total;
    }

    public Resources available(String agentId) {
        Slave agent = agent(agentId);
        return agent.total.minus(agent.allocated);
    }

    private static boolean filtered(Client client, String agentId, Resources available) {
        return client.filters.stream()
                .anyMatch(filter -> filter.agentId().equals(agentId) && filter.refused().contains(available));
    }

    private double dominantShare(Client client) {
        double share = 0;
        for (Map.Entry<String, Double> entry : total.scalars().entrySet()) {
            if (entry.getValue() > 0) {
                share = Math.max(share, client.allocated.scalar(entry.getKey()) / entry.getValue());
            }
        }
        return share;
    }

    private static boolean allocatable(Resources resources) {
        return resources.scalar("cpus") >= MIN_CPUS || resources.scalar("mem") >= MIN_MEM;
    }

    private Slave agent(String agentId) {
        Slave agent = agents.get(agentId);
        if (agent == null) {
            throw new IllegalStateException("agent " + agentId + " is unknown to the allocator");
        }
        return agent;
    }

    private Client client(String frameworkId) {
        Client client = clients.get(frameworkId);
        if (client == null) {
            throw new IllegalStateException("framework " + frameworkId + " is unknown to the allocator");
        }
        return client;
    }
}
