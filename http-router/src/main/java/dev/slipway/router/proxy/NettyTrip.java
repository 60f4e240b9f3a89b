package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.log.RouterLog;
import dev.slipway.router.trace.RequestPhases;
import dev.slipway.zk.Route.Endpoint;

/**
 * {@link Trip} for the Netty data path: one request's way to an app as its router line tells it (the
 * instance, how long connecting and the app took, the status and bytes, how it ended), and its place
 * among the instance's requests in flight. The line is written once, when the request ends, and its
 * {@link RequestPhases} are ended then. One per request, on its event loop.
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
    private final RequestPhases phases;
    private int status;
    private long bytes;
    private RouterError error;
    private boolean ended;

    /** {@code phases}: where the request's phases go (started when its head was read). */
    NettyTrip(Backend backend, RouterLog log, String method, String path, String host, String requestId,
              String forwardedFor, boolean secure, RequestPhases phases) {
        this.backend = backend;
        this.phases = phases;
        this.attempts = new Attempts(backend, phases);
        this.log = log;
        this.method = method;
        this.path = path;
        this.host = host;
        this.requestId = requestId;
        this.forwardedFor = forwardedFor;
        this.protocol = secure ? "https" : "http";
    }

    /** A new attempt at {@code endpoint}: counted among its requests in flight until it fails or the request ends. */
    void attempting(Endpoint endpoint) {
        attempts.attempting(endpoint);
    }

    /** How the pool gives the attempt its connection (a new one or a kept one), and how busy it was. */
    void pooled(boolean fresh, int open, int waiting) {
        phases.pool(fresh, open, waiting);
    }

    /** Whether the request's phases are recorded (to compute what only they need). */
    boolean recordingPhases() {
        return phases.recording();
    }

    /** The attempt waited {@code nanos} for a connection to its pool ({@code fresh}: a new one, as one closed). */
    void queued(long nanos, boolean fresh) {
        phases.queued(nanos, fresh);
    }

    /** The connection to the instance is there: the request goes out now. */
    void connected() {
        attempts.connected();
    }

    /** The request's head (and what came of its body) was written and flushed to the app. */
    void headSent() {
        phases.headSent();
    }

    /** The head of the app's answer came. */
    void firstByte() {
        phases.firstByte();
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
        phases.ended(error == null || error == RouterError.H15 ? status : error.status(),
                error == null ? null : error.name());
        if (log != RouterLog.NONE) {
            int lineStatus = error == null || error == RouterError.H15 ? status : error.status();
            long lineBytes = error == RouterError.H27 || error == RouterError.H28 ? 0 : bytes;
            log.line(backend.app(), attempts.line(error, method, path, host, requestId, forwardedFor, lineStatus,
                    lineBytes, protocol));
        }
    }
}
