package dev.slipway.router.balance;

/**
 * A request's place at one endpoint (one of its requests in flight), given back when the request is
 * done with that endpoint. Used on the request's event loop only.
 */
public final class Lease {
    private Load.Counters counters;

    Lease(Load.Counters counters) {
        this.counters = counters;
    }

    /** Gives the place back; later calls do nothing. */
    public void release() {
        if (counters != null) {
            counters.outstanding.decrementAndGet();
            counters = null;
        }
    }
}
