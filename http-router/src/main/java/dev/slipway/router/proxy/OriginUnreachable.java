package dev.slipway.router.proxy;

import dev.slipway.zk.Route.Endpoint;

/** No connection to an app instance could be made: nothing of the request was sent, so it may go elsewhere. */
final class OriginUnreachable extends RuntimeException {
    OriginUnreachable(String app, Endpoint endpoint, Throwable cause) {
        super("could not connect to " + app + " " + endpoint.instance() + " at " + endpoint.host() + ":" + endpoint.port()
                + ": " + cause.getMessage(), cause);
    }
}
