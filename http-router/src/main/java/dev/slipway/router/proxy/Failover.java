package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
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
    private final Exchange exchange;
    private final Duration requestTimeout;

    Failover(Backend backend, Exchange exchange, Duration requestTimeout) {
        this.backend = backend;
        this.exchange = exchange;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        return context.sendRequest().recover(failure -> {
            if (!canRetry(context, failure)) {
                return Future.succeededFuture(reply(context, failure));
            }
            LOG.debug("request {} to {} failed, trying the next endpoint: {}", exchange.requestId(), backend.app(), failure.getMessage());
            if (!(failure instanceof OriginUnreachable)) {
                // The first attempt consumed the (empty) body stream; send the retry without one.
                context.request().setBody(null);
            }
            return context.sendRequest().recover(second -> Future.succeededFuture(reply(context, second)));
        });
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
