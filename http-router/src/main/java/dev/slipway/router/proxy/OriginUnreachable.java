package dev.slipway.router.proxy;

import dev.slipway.zk.Route.Endpoint;
import java.util.concurrent.TimeoutException;

/** No connection to an app instance could be made: nothing of the request was sent, so it may go elsewhere. */
final class OriginUnreachable extends RuntimeException {
    private final transient Endpoint endpoint;

    OriginUnreachable(String app, Endpoint endpoint, Throwable cause) {
        super("could not connect to " + app + " " + endpoint.instance() + " at " + endpoint.host() + ":" + endpoint.port()
                + ": " + cause.getMessage(), cause);
        this.endpoint = endpoint;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Whether the instance did not accept the connection in time (rather than refusing it). */
    boolean timedOut() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
