package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig;
import dev.slipway.router.balance.Backend;
import dev.slipway.router.log.RouterLog;
import dev.slipway.router.route.HostName;
import dev.slipway.router.route.RouteTable;
import dev.slipway.router.trace.RequestPhases;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each request by its Host to one of the app's endpoints. Unknown hosts get 404, apps without
 * a running web instance 503 (H14); the rest is proxied (WebSocket upgrades included) with Heroku's
 * headers, retries where safe, and Heroku's timeouts and error codes. Each request to an app ends in
 * one router line in that app's log. A plain-HTTP request to an app that is HTTPS only gets a redirect
 * instead ({@link HttpsRedirect}). Runs on event loops and never blocks.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
    /** The methods the router passes on, as its answer to {@code OPTIONS *} and to CONNECT says. */
    static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE";
    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

    private final Supplier<RouteTable> routes;
    private final Clock clock;
    private final RouterLog log;
    /** Null without an HTTPS listener. */
    private final HttpsRedirect httpsRedirect;
    private final Forward.Settings forwarding;

    /**
     * @param routes the route table in force, read once per request
     * @param client the client to app instances (its pool is shared by all requests)
     * @param config the timeouts and the balance
     * @param clock  the time for X-Request-Start
     * @param log    where each request's router line goes (never blocks)
     * @param vertx  for the timers of the request timeout and the idle window (the handler serves one event loop)
     */
    public ProxyHandler(Supplier<RouteTable> routes, HttpClient client, RouterConfig config, Clock clock, RouterLog log,
                        Vertx vertx) {
        this.routes = routes;
        this.clock = clock;
        this.log = log;
        this.httpsRedirect = HttpsRedirect.of(config);
        this.forwarding = new Forward.Settings(client, config.balance(), config.connectTimeout(), config.requestTimeout(),
                config.idleTimeout(), new Deadlines(vertx,
                        Math.min(config.requestTimeout().toMillis(), config.idleTimeout().toMillis())));
    }

    @Override
    public void handle(HttpServerRequest request) {
        RequestPhases phases = RequestPhases.start("vertx");
        Exchange exchange = new Exchange(RequestId.keepOrCreate(request.getHeader(RequestId.HEADER)), clock.millis(),
                phases);
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
                ErrorReply.refuse(request.response(), 400, exchange, "Invalid request target");
                return;
            }
            authority = target.authority();
            originForm = target.originForm();
        }
        String host = HostName.of(authority);
        Optional<Backend> found = routes.get().lookup(host);
        if (found.isEmpty()) {
            // No app, so no app's log to write to.
            LOG.debug("request {}: no app at '{}'", exchange.requestId(), host);
            ErrorReply.send(request.response(), request.getHeader(HttpHeaders.ACCEPT), RouterError.NO_SUCH_APP, exchange);
            return;
        }
        Backend backend = found.get();
        phases.routed(backend.app(), exchange.requestId());
        String target = originForm != null ? originForm : uri;
        Trip trip = new Trip(request, exchange, backend, log, host, target);
        if (httpsRedirect != null && httpsRedirect.answered(request, backend, host, target, exchange)) {
            return;
        }
        if (!backend.hasEndpoints()) {
            LOG.debug("request {}: {} has no endpoints", exchange.requestId(), backend.app());
            trip.failed(RouterError.H14);
            ErrorReply.send(request.response(), request.getHeader(HttpHeaders.ACCEPT), RouterError.H14, exchange);
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("request {}: {} {} {} -> {}", exchange.requestId(), request.method(), host, request.path(),
                    backend.app());
        }
        new Forward(request, backend, forwarding, exchange, trip, authority, originForm != null ? originForm : uri).start();
    }
}
