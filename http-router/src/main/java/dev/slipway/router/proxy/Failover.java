package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.balance.Outliers;
import dev.slipway.zk.Route.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries another endpoint where that is safe, and turns what still fails into Heroku's answers:
 * H21 (every endpoint tried refused the connection) or H19 (did not accept it in time), H12 (no
 * answer started within the request timeout), H13 (the connection closed before an answer). Once
 * the answer has started it keeps Heroku's rolling idle window (H15).
 *
 * <p>An endpoint that refuses a connection or does not accept one in time is quarantined and the
 * request goes to another, as long as one is left: nothing was sent. A request that was sent is
 * tried again (once) only when it is idempotent and has no body, so that it can be sent again as it
 * was; one that timed out never is: the app may still be working on it.
 */
final class Failover implements ProxyInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(
            HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private final Backend backend;
    private final EndpointSelector selector;
    private final Exchange exchange;
    private final Trip trip;
    private final Vertx vertx;
    private final Duration idleTimeout;
    private boolean resent;

    Failover(Backend backend, EndpointSelector selector, Exchange exchange, Trip trip, Vertx vertx, Duration idleTimeout) {
        this.backend = backend;
        this.selector = selector;
        this.exchange = exchange;
        this.trip = trip;
        this.vertx = vertx;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        return send(context).recover(failure -> {
            trip.attemptFailed();
            if (trip.clientGone()) {
                // Nobody to answer: the client left, which is no fault of the app's.
                return Future.succeededFuture(reply(context, RouterError.H27, failure));
            }
            if (failure instanceof OriginUnreachable unreachable) {
                backend.quarantine().add(unreachable.endpoint());
                if (selector.hasAnother()) {
                    LOG.debug("request {}: {}; trying another endpoint", exchange.requestId(), failure.getMessage());
                    return handleProxyRequest(context);
                }
                return Future.succeededFuture(reply(context, unreachable.timedOut() ? RouterError.H19 : RouterError.H21, failure));
            }
            if (!resent && canResend(context, failure) && selector.hasAnother()) {
                LOG.debug("request {} to {} failed, sending it to another endpoint: {}", exchange.requestId(), backend.app(), failure.getMessage());
                resent = true;
                // The first attempt consumed the (empty) body stream; send it again without one.
                context.request().setBody(null);
                return handleProxyRequest(context);
            }
            return Future.succeededFuture(reply(context, isTimeout(failure) ? RouterError.H12 : RouterError.H13, failure));
        });
    }

    /** One attempt, its outcome counted for or against the endpoint it went to (outlier detection). */
    private Future<ProxyResponse> send(ProxyContext context) {
        return context.sendRequest().andThen(result -> {
            Endpoint endpoint = selector.lastTried();
            if (endpoint == null) {
                return;
            }
            if (result.succeeded()) {
                backend.outliers().succeeded(endpoint);
            } else if (!trip.clientGone() && isEndpointFailure(result.cause())) {
                Duration ejected = backend.outliers().failed(endpoint, backend.endpoints());
                if (ejected != null) {
                    LOG.warn("{} {} at {}:{} failed {} times in a row; no requests go to it for {} s",
                            backend.app(), endpoint.instance(), endpoint.host(), endpoint.port(),
                            Outliers.CONSECUTIVE_FAILURES, ejected.toSeconds());
                }
            }
        });
    }

    /** Refused, timed out, reset or closed before answering: the endpoint's fault, not the client's. */
    private static boolean isEndpointFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof OriginUnreachable || cause instanceof TimeoutException
                    || cause instanceof HttpClosedException || cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        ProxyResponse response = context.response();
        HttpClientResponse fromApp = response.proxiedResponse();
        if (context.isWebSocket()) {
            if (fromApp == null) {
                // vertx-http-proxy's WebSocket path only knows how to relay an origin's response.
                return response.send();
            }
            return context.sendResponse();
        }
        Body body = response.getBody();
        if (fromApp != null && body != null) {
            IdleWatch watched = new IdleWatch(body.stream(), vertx, idleTimeout.toMillis(), () -> idle(context, fromApp));
            response.setBody(body.mediaType() == null ? Body.body(watched, body.length())
                    : Body.body(watched, body.length(), body.mediaType()));
        }
        return context.sendResponse();
    }

    /** H15: the app stopped sending its answer halfway; both connections are closed (the client's ends the line). */
    private void idle(ProxyContext context, HttpClientResponse fromApp) {
        LOG.debug("request {} to {}: no data for {} ms, closing", exchange.requestId(), backend.app(), idleTimeout.toMillis());
        trip.failed(RouterError.H15);
        fromApp.request().connection().close();
        context.request().proxiedRequest().connection().close();
    }

    private boolean canResend(ProxyContext context, Throwable failure) {
        return !context.isWebSocket()
                && !isTimeout(failure)
                && IDEMPOTENT.contains(context.request().getMethod())
                && hasNoBody(context.request().proxiedRequest().headers());
    }

    private ProxyResponse reply(ProxyContext context, RouterError error, Throwable failure) {
        LOG.debug("request {} to {}: {} ({})", exchange.requestId(), backend.app(), error.description(), failure.getMessage());
        trip.failed(error);
        return ErrorReply.proxied(context, error, exchange);
    }

    private static boolean hasNoBody(MultiMap headers) {
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        return (length == null || length.trim().equals("0")) && !headers.contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
