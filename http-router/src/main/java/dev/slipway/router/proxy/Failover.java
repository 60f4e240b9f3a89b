package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.balance.Outliers;
import dev.slipway.zk.Route.Endpoint;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a failed request once on the next endpoint when that is safe, and turns what still fails
 * into the router's own answer: 504 when the app did not start answering in time (Heroku's H12),
 * 502 otherwise.
 *
 * <p>Retrying is safe when nothing was sent (the connection could not be made), or when the
 * request is idempotent and has no body, so that it can be sent again as it was. A request that
 * timed out is never retried: the app may still be working on it.
 */
final class Failover implements ProxyInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(
            HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private final Backend backend;
    private final EndpointSelector selector;
    private final Exchange exchange;
    private final Duration requestTimeout;

    Failover(Backend backend, EndpointSelector selector, Exchange exchange, Duration requestTimeout) {
        this.backend = backend;
        this.selector = selector;
        this.exchange = exchange;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        return send(context).recover(failure -> {
            if (!canRetry(context, failure)) {
                return Future.succeededFuture(reply(context, failure));
            }
            LOG.debug("request {} to {} failed, trying the next endpoint: {}", exchange.requestId(), backend.app(), failure.getMessage());
            if (!(failure instanceof OriginUnreachable)) {
                // The first attempt consumed the (empty) body stream; send the retry without one.
                context.request().setBody(null);
            }
            return send(context).recover(second -> Future.succeededFuture(reply(context, second)));
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
            } else if (isEndpointFailure(result.cause())) {
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
        if (context.isWebSocket() && context.response().proxiedResponse() == null) {
            // vertx-http-proxy's WebSocket path only knows how to relay an origin's response.
            return context.response().send();
        }
        return context.sendResponse();
    }

    private boolean canRetry(ProxyContext context, Throwable failure) {
        if (backend.size() < 2) {
            return false;
        }
        if (failure instanceof OriginUnreachable) {
            return true;
        }
        return !context.isWebSocket()
                && !isTimeout(failure)
                && IDEMPOTENT.contains(context.request().getMethod())
                && hasNoBody(context.request().proxiedRequest().headers());
    }

    private ProxyResponse reply(ProxyContext context, Throwable failure) {
        if (!(failure instanceof OriginUnreachable) && isTimeout(failure)) {
            LOG.debug("request {} to {} timed out: {}", exchange.requestId(), backend.app(), failure.getMessage());
            return ErrorReply.proxied(context, 504,
                    backend.app() + " did not answer within " + requestTimeout.toMillis() + " ms");
        }
        LOG.debug("request {} to {} failed: {}", exchange.requestId(), backend.app(), failure.getMessage());
        return ErrorReply.proxied(context, 502, backend.app() + " could not be reached");
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
