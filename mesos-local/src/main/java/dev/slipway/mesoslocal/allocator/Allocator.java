package dev.slipway.mesoslocal.allocator;

import dev.slipway.mesoslocal.resources.Resources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-agent version of Mesos's hierarchical allocator. It tracks what is allocated (offered
 * or used by tasks and executors) per framework, and on each {@link #runOnce()} offers everything
 * else on the agent to the framework with the lowest dominant share that is active, not
 * suppressed and not filtering those resources.
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

    /** Where offers go. */
    @FunctionalInterface
    public interface OfferSink {
        void offer(String frameworkId, Resources resources);
    }

    private final Resources total;
    private final Clock clock;
    private final OfferSink sink;
    private final Map<String, Client> clients = new LinkedHashMap<>();
    private Resources allocated = Resources.EMPTY;

    public Allocator(Resources total, Clock clock, OfferSink sink) {
        this.total = total;
        this.clock = clock;
        this.sink = sink;
    }

    private static final class Client {
        final String frameworkId;
        boolean active;
        boolean suppressed;
        Resources allocated = Resources.EMPTY;
        final List<OfferFilter> filters = new ArrayList<>();

        Client(String frameworkId) {
            this.frameworkId = frameworkId;
        }
    }

    /** Resources declined until a time: offers of no more than these are held back until then. */
    record OfferFilter(Resources refused, Instant expires) {
    }

    public void addFramework(String frameworkId, boolean suppressed) {
        Client client = clients.computeIfAbsent(frameworkId, Client::new);
        client.active = true;
        client.suppressed = suppressed;
    }

    /** Forgets the framework; whatever it still held must have been recovered first. */
    public void removeFramework(String frameworkId) {
        Client client = clients.remove(frameworkId);
        if (client != null && !client.allocated.isEmpty()) {
            allocated = allocated.minus(client.allocated);
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
     * Marks resources as allocated to the framework outside an offer cycle. The master uses it to
     * account for an executor's resources that a launch adds beyond the offer.
     */
    public void allocate(String frameworkId, Resources resources) {
        Client client = client(frameworkId);
        client.allocated = client.allocated.plus(resources);
        allocated = allocated.plus(resources);
    }

    /**
     * Returns resources (declined, unused, rescinded, or freed by a task or executor). With
     * {@code refuseSeconds} above zero a filter keeps these resources from the framework for that
     * long; Mesos replaces a negative value by the default of 5 seconds.
     */
    public void recover(String frameworkId, Resources resources, double refuseSeconds) {
        Client client = clients.get(frameworkId);
        if (client != null) {
            client.allocated = client.allocated.minus(resources);
        }
        allocated = allocated.minus(resources);
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
        client.filters.add(new OfferFilter(resources, clock.instant().plus(timeout)));
    }

    /** One allocation cycle: at most one offer, of everything available, to one framework. */
    public void runOnce() {
        Instant now = clock.instant();
        for (Client client : clients.values()) {
            client.filters.removeIf(filter -> !filter.expires().isAfter(now));
        }
        Resources available = total.minus(allocated);
        if (!allocatable(available)) {
            return;
        }
        List<Client> candidates = new ArrayList<>(clients.values());
        candidates.sort(Comparator.comparingDouble(this::dominantShare).thenComparing(c -> c.frameworkId));
        for (Client client : candidates) {
            if (!client.active || client.suppressed || filtered(client, available)) {
                continue;
            }
            client.allocated = client.allocated.plus(available);
            allocated = allocated.plus(available);
            sink.offer(client.frameworkId, available);
            return;
        }
    }

    public Resources total() {
        return total;
    }

    public Resources available() {
        return total.minus(allocated);
    }

    private boolean filtered(Client client, Resources available) {
        return client.filters.stream().anyMatch(filter -> filter.refused().contains(available));
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

    private Client client(String frameworkId) {
        Client client = clients.get(frameworkId);
        if (client == null) {
            throw new IllegalStateException("framework " + frameworkId + " is unknown to the allocator");
        }
        return client;
    }
}
