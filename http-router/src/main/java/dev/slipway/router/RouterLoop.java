package dev.slipway.router;

import dev.slipway.router.log.RouterLog;
import dev.slipway.router.proxy.ClientConnections;
import dev.slipway.router.proxy.Http2Requests;
import dev.slipway.router.proxy.ProxyHandler;
import dev.slipway.router.route.RouteTable;
import dev.slipway.router.tls.HttpsListener;
import dev.slipway.router.tls.LiveCertificates;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's share of the router: a listener on the router's address (Vert.x hands each
 * accepted connection to one of the loops listening there), an HTTPS listener when configured, and
 * a client whose connections to app instances stay on the same loop, so that a proxied request never
 * changes threads.
 */
final class RouterLoop extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(RouterLoop.class);
    /** Connections kept per app instance by each loop; more requests wait for one. */
    private static final int CONNECTIONS_PER_INSTANCE = 64;
    static final int MAX_REQUEST_LINE = 8 * 1024;
    /** The streams one HTTP/2 connection may have open at once; more are refused (RST_STREAM). */
    static final int MAX_CONCURRENT_STREAMS = 128;
    /** The most an HTTP/2 request's header list may take (RFC 9113 §6.5.2's accounting). */
    static final int MAX_HEADER_LIST = 8 * 1024;

    private final RouterConfig config;
    private final int port;
    private final int httpsPort;
    private final LiveCertificates certificates;
    private final Supplier<RouteTable> routes;
    private final Clock clock;
    private final ClientConnections clients;
    private final RouterLog log;
    private HttpClient client;
    private HttpServer server;
    private HttpServer httpsServer;

    /**
     * {@code clock} gives the time a request arrived (X-Request-Start); {@code clients} and {@code log}
     * (the router lines) are shared by all loops; {@code certificates} are served on {@code httpsPort},
     * or null for no HTTPS listener.
     */
    RouterLoop(RouterConfig config, int port, int httpsPort, LiveCertificates certificates, Supplier<RouteTable> routes,
               Clock clock, ClientConnections clients, RouterLog log) {
        this.config = config;
        this.port = port;
        this.httpsPort = httpsPort;
        this.certificates = certificates;
        this.routes = routes;
        this.clock = clock;
        this.clients = clients;
        this.log = log;
    }

    @Override
    public Future<?> start() {
        client = vertx.httpClientBuilder()
                .with(new HttpClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                        .setKeepAlive(true))
                .with(new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_INSTANCE))
                .build();
        ProxyHandler handler = new ProxyHandler(routes, client, config, clock, log, vertx);
        Handler<HttpServerRequest> requests = new Http2Requests(handler);
        Future<HttpServer> plain = clients.install(vertx, options(port))
                .requestHandler(requests)
                .listen()
                .onSuccess(listening -> server = listening);
        if (certificates == null) {
            return plain;
        }
        // The framing guard goes in front of the HTTP decoder, which Vert.x puts after the TLS handler.
        Future<HttpServer> secure = clients.install(vertx, HttpsListener.secure(options(httpsPort), certificates))
                .requestHandler(requests)
                .listen()
                .onSuccess(listening -> httpsServer = listening);
        return Future.all(plain, secure);
    }

    private HttpServerOptions options(int listenPort) {
        return new HttpServerOptions()
                .setHost(config.host())
                .setPort(listenPort)
                // Heroku's and nginx's 8 KB request line (414 beyond); the head stays at Vert.x's 8 KB (431).
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                // h2c with prior knowledge: the framing guard steps aside for the HTTP/2 preface and
                // guards every other connection as HTTP/1 (it serves Upgrade: h2c as HTTP/1.1).
                .setHttp2ClearTextEnabled(true)
                // nginx's http2_max_concurrent_streams (128); the header list as big as an HTTP/1 head
                // may be (8 KB, nginx's large_client_header_buffers); more is refused per stream.
                .setInitialSettings(new Http2Settings()
                        .setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .setMaxHeaderListSize(MAX_HEADER_LIST))
                // The router takes the body itself, so "Expect: 100-continue" clients are answered here.
                .setHandle100ContinueAutomatically(true);
    }

    /** The port this loop listens on. */
    int port() {
        return server.actualPort();
    }

    /** The port this loop's HTTPS listener listens on, -1 without one. */
    int httpsPort() {
        return httpsServer == null ? -1 : httpsServer.actualPort();
    }

    /**
     * Drains: the listeners stop accepting at once and close idle connections; a connection with a
     * request in flight closes once its answer ended ({@code Connection: close}), or is cut when the
     * drain time is over. Then the connections to apps close.
     */
    @Override
    public Future<?> stop() {
        long drain = config.drain().toMillis();
        Future<Void> plain = server == null ? Future.succeededFuture() : server.shutdown(drain, TimeUnit.MILLISECONDS);
        Future<Void> secure = httpsServer == null ? Future.succeededFuture()
                : httpsServer.shutdown(drain, TimeUnit.MILLISECONDS);
        Future<?> drained = Future.all(plain, secure);
        long warning = vertx.setTimer(Math.max(1, drain), late -> {
            if (!drained.isComplete()) {
                LOG.warn("requests still in flight after the drain of {} ms: their connections are cut", drain);
            }
        });
        return drained.eventually(() -> {
            vertx.cancelTimer(warning);
            return client.close();
        });
    }
}
