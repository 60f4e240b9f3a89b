package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.balance.Lease;
import dev.slipway.router.log.RouterLine;
import dev.slipway.router.trace.RequestPhases;
import dev.slipway.zk.Route.Endpoint;
import java.util.concurrent.TimeUnit;

/**
 * What a request's router line says of its attempts at an app's instances, on either data path: the
 * instance it went to last, how long connecting and the app took. It also holds the request's place
 * among that instance's requests in flight (the balance reads it), and tells the request's
 * {@link RequestPhases} when each attempt began and connected. One per request, on its event loop.
 */
final class Attempts {
    private final Backend backend;
    private final RequestPhases phases;
    private Lease lease;
    private String dyno = "";
    private long attemptStart;
    private long connectMillis = -1;
    private long sentAt = -1;

    Attempts(Backend backend, RequestPhases phases) {
        this.backend = backend;
        this.phases = phases;
    }

    /** A new attempt at {@code endpoint}: counted among its requests in flight until it fails or the request ends. */
    void attempting(Endpoint endpoint) {
        release();
        lease = backend.take(endpoint);
        dyno = endpoint.instance();
        attemptStart = System.nanoTime();
        connectMillis = -1;
        sentAt = -1;
        phases.attempting(dyno);
    }

    /** The connection to the instance is there: the request goes out now. */
    void connected() {
        connectMillis = millisSince(attemptStart);
        sentAt = System.nanoTime();
        phases.connected();
    }

    /** The attempt failed; the instance no longer counts this request. */
    void failed() {
        if (connectMillis < 0 && lease != null) {
            connectMillis = millisSince(attemptStart);
        }
        release();
    }

    /** The request no longer counts at its instance (it ended, or goes elsewhere). */
    void release() {
        if (lease != null) {
            lease.release();
            lease = null;
        }
    }

    /** The router line of a request that ended so, with what these attempts add to it. */
    RouterLine line(RouterError error, String method, String path, String host, String requestId, String forwardedFor,
                    int status, long bytes, String protocol) {
        return new RouterLine(error == null ? null : error.code(), error == null ? null : error.description(), method,
                path, host, requestId, forwardedFor, dyno, connectMillis, sentAt < 0 ? -1 : millisSince(sentAt), status,
                bytes, protocol);
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
