package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.zk.Route.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the request to the app instance whose turn it is; asked again for the same request (a
 * retry), it takes the endpoint after the one tried last. One instance per request, used only on
 * that request's event loop.
 */
final class EndpointSelector implements OriginRequestProvider {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointSelector.class);
    private final Backend backend;
    private final HostAndPort authority;
    private final long connectTimeoutMillis;
    private final long requestTimeoutMillis;
    private Endpoint tried;

    EndpointSelector(Backend backend, HostAndPort authority, long connectTimeoutMillis, long requestTimeoutMillis) {
        this.backend = backend;
        this.authority = authority;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    /** The endpoint asked for last, or null before the first attempt. */
    Endpoint lastTried() {
        return tried;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        Endpoint endpoint = tried == null ? backend.next() : backend.after(tried);
        tried = endpoint;
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
                .setConnectTimeout(connectTimeoutMillis)
                // Cancelled by Vert.x as soon as the response head arrives: Heroku's H12 window.
                .setIdleTimeout(requestTimeoutMillis);
        // Through compose so that a client that throws (closed while stopping) fails the future instead.
        return Future.succeededFuture().compose(nothing -> context.client().request(options))
                .map(request -> {
                    // The app sees the Host the client asked for, not the instance's address.
                    if (authority != null) {
                        request.authority(authority);
                    }
                    // Failures also fail the response; this only keeps a closed WebSocket from being logged as an error.
                    request.exceptionHandler(failure -> LOG.debug("request to {} {} ended: {}", backend.app(), endpoint.instance(), failure.getMessage()));
                    return request;
                })
                .recover(failure -> Future.failedFuture(new OriginUnreachable(backend.app(), endpoint, failure)));
    }
}
