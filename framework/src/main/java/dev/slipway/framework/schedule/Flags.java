package dev.slipway.framework.schedule;

import java.time.Instant;

/**
 * The scheduler's own state towards Mesos, kept in memory only (a restarted framework begins
 * anew with its subscription). Immutable.
 *
 * @param subscribed       whether Mesos has the framework subscribed
 * @param waitingForOffers whether offers are wanted (something waits to launch)
 * @param suppressed       whether the master was asked to send no offers
 * @param lastOrphanSweep  when the executors were last told which tasks are live
 */
record Flags(boolean subscribed, boolean waitingForOffers, boolean suppressed, Reconciliation reconciliation,
             Instant lastOrphanSweep) {
    static final Flags INITIAL = new Flags(false, false, false, Reconciliation.NONE, Instant.EPOCH);

    Flags withSubscribed(boolean value) {
        return new Flags(value, waitingForOffers, suppressed, reconciliation, lastOrphanSweep);
    }

    Flags withOffers(boolean waiting, boolean isSuppressed) {
        return new Flags(subscribed, waiting, isSuppressed, reconciliation, lastOrphanSweep);
    }

    Flags with(Reconciliation value) {
        return new Flags(subscribed, waitingForOffers, suppressed, value, lastOrphanSweep);
    }

    Flags withOrphanSweep(Instant at) {
        return new Flags(subscribed, waitingForOffers, suppressed, reconciliation, at);
    }
}
