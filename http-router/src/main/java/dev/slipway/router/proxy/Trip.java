package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.log.RouterLine;
import dev.slipway.router.log.RouterLog;
import dev.slipway.router.trace.RequestPhases;
import dev.slipway.zk.Route.Endpoint;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * One request's way through the router to an app, as its router line tells it: the instance it
 * went to, how long connecting and the app took, how it ended. It holds the request's place in the
 * instance's count of requests in flight, and writes the line once, when the answer has ended or
 * the client's connection closed (and so are its {@link RequestPhases} ended). One per request, on its event loop.
 */
final class Trip {
    private final HttpServerRequest request;
    private final Exchange exchange;
    private final Backend backend;
    private final Attempts attempts;
    private final RouterLog log;
    private final String host;
    private final String path;
    private final RequestPhases phases;
    private String forwardedFor;
    private Runnable onClientGone;
    private RouterError error;
    private boolean ended;

    /** {@code host}: the host the request was routed by; {@code path}: its target in origin form. */
    Trip(HttpServerRequest request, Exchange exchange, Backend backend, RouterLog log, String host, String path) {
        this.request = request;
        this.host = host;
        this.path = path;
        this.exchange = exchange;
        this.backend = backend;
        this.phases = exchange.phases();
        this.attempts = new Attempts(backend, phases);
        this.log = log;
        HttpServerResponse response = request.response();
        // Vert.x also calls the end handler when the connection closes before the response ended.
        response.endHandler(done -> {
            if (response.ended()) {
                end();
            } else {
                clientClosed();
            }
        });
        response.closeHandler(closed -> clientClosed());
    }

    /** The X-Forwarded-For the app got, for the line (computed once per request). */
    void forwardedFor(String value) {
        forwardedFor = value;
    }

    /** Runs {@code action} when the client's connection closes before the answer ended. */
    void onClientGone(Runnable action) {
        onClientGone = action;
    }

    /** A new attempt at {@code endpoint}: counted among its requests in flight until it fails or the request ends. */
    void attempting(Endpoint endpoint) {
        attempts.attempting(endpoint);
    }

    /** The connection to the instance is there (Vert.x's pool gave one, kept or new): the request goes out now. */
    void connected() {
        attempts.connected();
    }

    /** The whole of a bodiless request was handed to the app's connection. */
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

    /** The router answers (or ends the request) with {@code error} instead of the app. */
    void failed(RouterError error) {
        this.error = error == RouterError.H27 ? clientLeft() : error;
    }

    /** H27, or H28 when it was the router that closed the connection: the client stopped sending its body. */
    private RouterError clientLeft() {
        return request.connection() instanceof ConnectionBase connection && FramingGuard.closedIdle(connection.channel())
                ? RouterError.H28 : RouterError.H27;
    }

    /** Whether the client's connection closed before the answer ended. */
    boolean clientGone() {
        return !ended ? request.response().closed() : error == RouterError.H27 || error == RouterError.H28;
    }

    private void clientClosed() {
        if (ended) {
            return;
        }
        // Unless the router closed it itself (H15), a connection closed before any answer is the client's doing.
        if (error != RouterError.H15 && !request.response().headWritten()) {
            // ...or the router's, when the client stopped sending its body (FramingGuard's body timeout).
            error = clientLeft();
        }
        end();
        if (onClientGone != null) {
            onClientGone.run();
        }
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        attempts.release();
        phases.ended(error == null || error == RouterError.H15 ? request.response().getStatusCode() : error.status(),
                error == null ? null : error.name());
        if (log != RouterLog.NONE) {
            log.line(backend.app(), line());
        }
    }

    RouterLine line() {
        HttpServerResponse response = request.response();
        int status = error == null || error == RouterError.H15 ? response.getStatusCode() : error.status();
        return attempts.line(error, request.method().name(), path, host, exchange.requestId(),
                forwardedFor != null ? forwardedFor : ForwardedHeaders.forwardedFor(request), status,
                error == RouterError.H27 || error == RouterError.H28 ? 0 : response.bytesWritten(),
                request.isSSL() ? "https" : "http");
    }
}
