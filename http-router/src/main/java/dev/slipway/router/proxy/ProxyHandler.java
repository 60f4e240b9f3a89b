package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.route.HostName;
import dev.slipway.router.route.RouteTable;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each request by its Host to one of the app's endpoints. Unknown hosts get 404, apps without
 * a running web instance 503; the rest is proxied (WebSocket upgrades included) with Heroku's
 * headers, one retry where safe, and Heroku's timeout semantics. Runs on event loops and never blocks.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
    /** The methods the router passes on, as its answer to {@code OPTIONS *} and to CONNECT says. */
    static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE";
    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

    private final Supplier<RouteTable> routes;
    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Clock clock;
    private final ProxyOptions options = new ProxyOptions().setSupportWebSocket(true);

    /**
     * @param routes         the route table in force, read once per request
     * @param client         the client to app instances (its pool is shared by all requests)
     * @param connectTimeout how long to wait for a connection to an instance
     * @param requestTimeout how long to wait for an instance's response to start
     * @param clock          the time for X-Request-Start
     */
    public ProxyHandler(Supplier<RouteTable> routes, HttpClient client, Duration connectTimeout, Duration requestTimeout, Clock clock) {
        this.routes = routes;
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Exchange exchange = new Exchange(RequestId.keepOrCreate(request.getHeader(RequestId.HEADER)), clock.millis());
        String uri = request.uri();
        if (uri.equals("*")) {
            // OPTIONS * asks about the server, not an app (FramingGuard lets no other method have it).
            request.response().setStatusCode(200)
                    .putHeader(HttpHeaders.ALLOW, ALLOWED_METHODS)
                    .putHeader(RequestId.HEADER, exchange.requestId())
                    .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
                    .end();
            return;
        }
        HostAndPort authority = request.authority();
        String originForm = null;
        if (!uri.startsWith("/")) {
            // Absolute form (RFC 9112 §3.2.2): its authority wins over Host; the app gets origin form.
            AbsoluteTarget target = AbsoluteTarget.parse(uri);
            if (target == null) {
                request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                        .endHandler(sent -> request.connection().close());
                ErrorReply.send(request.response(), 400, exchange, "Invalid request target");
                return;
            }
            authority = target.authority();
            originForm = target.originForm();
        }
        String host = HostName.of(authority);
        Optional<Backend> found = routes.get().lookup(host);
        if (found.isEmpty()) {
            LOG.debug("request {}: no app at '{}'", exchange.requestId(), host);
            ErrorReply.send(request.response(), 404, exchange, "No app at " + (host.isEmpty() ? "this address" : host));
            return;
        }
        Backend backend = found.get();
        if (!backend.hasEndpoints()) {
            LOG.debug("request {}: {} has no endpoints", exchange.requestId(), backend.app());
            ErrorReply.send(request.response(), 503, exchange, backend.app() + " has no running web instance");
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("request {}: {} {} {} -> {}", exchange.requestId(), request.method(), host, request.path(),
                    backend.app());
        }
        // A proxy is a handful of small objects: one per request carries that request's choices.
        // Failover comes first so that its error replies still pass through ForwardedHeaders.
        EndpointSelector selector = new EndpointSelector(backend, authority, connectTimeout.toMillis(), requestTimeout.toMillis());
        HttpProxy.reverseProxy(options, client)
                .origin(selector)
                .addInterceptor(new Failover(backend, selector, exchange, requestTimeout), true)
                .addInterceptor(new ForwardedHeaders(exchange, originForm), true)
                .handle(request);
    }
}
