package dev.slipway.zk;

/**
 * What a router tells the scheduler: the largest route version in the route table it serves,
 * written once that table is swapped in (see {@link RouterAcks}).
 */
public record RouterAck(long routeVersion) {
    public RouterAck {
        if (routeVersion < 0) {
            throw new IllegalArgumentException("route version must not be negative: " + routeVersion);
        }
    }
}
