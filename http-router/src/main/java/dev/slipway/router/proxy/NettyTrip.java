package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.log.RouterLog;
import dev.slipway.router.trace.RouterRequestEvent;
import dev.slipway.zk.Route.Endpoint;

/**
 * {@link Trip} for the Netty data path: one request's way to an app as its router line tells it (the
 * instance, how long connecting and the app took, the status and bytes, how it ended), and its place
 * among the instance's requests in flight. The line is written once, when the request ends; so is its
 * {@link RouterRequestEvent}, while a JFR recording wants one. One per request, on its event loop.
 */
final class NettyTrip {
    private final Backend backend;
    private final Attempts attempts;
    private final RouterLog log;
    private final String method;
    private final String path;
    private final String host;
    private final String requestId;
    private final String forwardedFor;
    private final String protocol;
    private int status;
    private long bytes;
    private RouterError error;
    private boolean ended;
    /** When the request reached each phase, while a JFR recording wants it; else null. */
    private RouterRequestEvent phases;

    NettyTrip(Backend backend, RouterLog log, String method, String path, String host, String requestId,
              String forwardedFor, boolean secure) {
        this.backend = backend;
        this.attempts = new Attempts(backend);
        this.log = log;
        this.method = method;
        this.path = path;
        this.host = host;
        this.requestId = requestId;
        this.forwardedFor = forwardedFor;
        this.protocol = secure ? "https" : "http";
    }

    /** The request's phases go to {@code event} (started when its head was read), or nowhere (null). */
    void recordPhases(RouterRequestEvent event) {
        phases = event;
    }

    /** A new attempt at {@code endpoint}: counted among its requests in flight until it fails or the request ends. */
    void attempting(Endpoint endpoint) {
        attempts.attempting(endpoint);
        if (phases != null) {
            phases.attempting(endpoint.instance());
        }
    }

    /** How the pool gives the attempt its connection (a new one or a kept one), and how busy it was. */
    void pooled(boolean fresh, int open, int waiting) {
        if (phases != null) {
            phases.pool(fresh, open, waiting);
        }
    }

    /** Whether the request's phases are recorded (to compute what only they need). */
    boolean recordingPhases() {
        return phases != null;
    }

    /** The attempt waited {@code nanos} for a connection to its pool ({@code fresh}: a new one, as one closed). */
    void queued(long nanos, boolean fresh) {
        if (phases != null) {
            phases.queued(nanos, fresh);
        }
    }

    /** The connection to the instance is there: the request goes out now. */
    void connected() {
        attempts.connected();
        if (phases != null) {
            phases.connected();
        }
    }

    /** The request's head (and what came of its body) was written and flushed to the app. */
    void headSent() {
        if (phases != null) {
            phases.headSent();
        }
    }

    /** The head of the app's answer came. */
    void firstByte() {
        if (phases != null) {
            phases.firstByte();
        }
    }

    /** The attempt failed; the instance no longer counts this request. */
    void attemptFailed() {
        attempts.failed();
    }

    /** The answer's status (the app's, or the router's own). */
    void status(int code) {
        status = code;
    }

    /** Bytes of the answer's body went to the client. */
    void sent(long count) {
        bytes += count;
    }

    /** The request ends (or ended) with {@code routerError} instead of the app's answer. */
    void failed(RouterError routerError) {
        error = routerError;
    }

    RouterError error() {
        return error;
    }

    boolean ended() {
        return ended;
    }

    /** The request is over: its place at the instance is given back and its line written, once. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        attempts.release();
        if (phases != null) {
            phases.ended(error == null || error == RouterError.H15 ? status : error.status(),
                    error == null ? null : error.name());
        }
        if (log != RouterLog.NONE) {
            int lineStatus = error == null || error == RouterError.H15 ? status : error.status();
            long lineBytes = error == RouterError.H27 || error == RouterError.H28 ? 0 : bytes;
            log.line(backend.app(), attempts.line(error, method, path, host, requestId, forwardedFor, lineStatus,
                    lineBytes, protocol).format());
        }
    }
}
