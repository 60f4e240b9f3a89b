package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.balance.Balance;
import dev.slipway.zk.Route.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the request to the app instance the balancer picks; asked again for the same request (a
 * retry), it picks among the instances this request has not tried yet. One instance per request,
 * used only on that request's event loop.
 */
final class EndpointSelector implements OriginRequestProvider {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointSelector.class);
    private final Backend backend;
    private final Balance balance;
    private final HostAndPort authority;
    private final long connectTimeoutMillis;
    private final long requestTimeoutMillis;
    private final Trip trip;
    private final List<Endpoint> tried = new ArrayList<>(2);
    private Endpoint next;

    EndpointSelector(Backend backend, Balance balance, HostAndPort authority, long connectTimeoutMillis,
                     long requestTimeoutMillis, Trip trip) {
        this.backend = backend;
        this.balance = balance;
        this.authority = authority;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.trip = trip;
    }

    /** The endpoint asked for last, or null before the first attempt. */
    Endpoint lastTried() {
        return tried.isEmpty() ? null : tried.get(tried.size() - 1);
    }

    /** Whether an endpoint is left for another attempt: one not tried yet, neither ejected nor quarantined. */
    boolean hasAnother() {
        if (next == null) {
            next = backend.choose(balance, tried);
        }
        return next != null;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        Endpoint endpoint = next != null ? next : backend.choose(balance, tried);
        next = null;
        if (endpoint == null) {
            return Future.failedFuture(new IllegalStateException(backend.app() + " has no endpoint left to try"));
        }
        tried.add(endpoint);
        trip.attempting(endpoint);
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
                .setConnectTimeout(connectTimeoutMillis)
                // Cancelled by Vert.x as soon as the response head arrives: Heroku's H12 window.
                .setIdleTimeout(requestTimeoutMillis);
        // Through compose so that a client that throws (closed while stopping) fails the future instead.
        return Future.succeededFuture().compose(nothing -> context.client().request(options))
                .map(request -> {
                    trip.connected();
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
