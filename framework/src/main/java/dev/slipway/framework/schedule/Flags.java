package dev.slipway.framework.schedule;

import java.time.Instant;
import java.util.Map;

/**
 * The scheduler's own state towards Mesos and the routers, kept in memory only (a restarted
 * framework begins anew with its subscription, and reads the routers' acknowledgements anew).
 * Immutable.
 *
 * @param subscribed       whether Mesos has the framework subscribed
 * @param waitingForOffers whether offers are wanted (something waits to launch)
 * @param suppressed       whether the master was asked to send no offers
 * @param lastOrphanSweep  when the executors were last told which tasks are live
 * @param routers          the route version each running router has acknowledged, by router id
 */
record Flags(boolean subscribed, boolean waitingForOffers, boolean suppressed, Reconciliation reconciliation,
             Instant lastOrphanSweep, Map<String, Long> routers) {
    static final Flags INITIAL = new Flags(false, false, false, Reconciliation.NONE, Instant.EPOCH, Map.of());

    Flags {
        routers = Map.copyOf(routers);
    }

    Flags withSubscribed(boolean value) {
        return new Flags(value, waitingForOffers, suppressed, reconciliation, lastOrphanSweep, routers);
    }

    Flags withOffers(boolean waiting, boolean isSuppressed) {
        return new Flags(subscribed, waiting, isSuppressed, reconciliation, lastOrphanSweep, routers);
    }

    Flags with(Reconciliation value) {
        return new Flags(subscribed, waitingForOffers, suppressed, value, lastOrphanSweep, routers);
    }

    Flags withOrphanSweep(Instant at) {
        return new Flags(subscribed, waitingForOffers, suppressed, reconciliation, at, routers);
    }

    Flags withRouters(Map<String, Long> acks) {
        return new Flags(subscribed, waitingForOffers, suppressed, reconciliation, lastOrphanSweep, acks);
    }

    /** Whether every running router serves a route table at {@code version} or later (true with none). */
    boolean routersServe(long version) {
        return routers.values().stream().allMatch(served -> served >= version);
    }
}
