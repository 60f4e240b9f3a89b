package dev.slipway.router;

import dev.slipway.router.proxy.ProxyHandler;
import dev.slipway.router.route.LiveRoutes;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.RouteWatcher;
import dev.slipway.zk.Unavailable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slipway's data plane: an HTTP reverse proxy that sends {@code Host: <app>.<domain>} (or one of an
 * app's custom hostnames) to a healthy instance of that app, with the routes watched in ZooKeeper.
 * When ZooKeeper goes away the router keeps serving the last routes it knew.
 */
public final class HttpRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
    /** How long start-up waits for the first full route table: serving before it would answer 404 to every app. */
    private static final long INITIAL_LOAD_SECONDS = 30;
    /** Connections kept per app instance; more requests wait for one. */
    private static final int CONNECTIONS_PER_INSTANCE = 64;

    private final HttpServer server;
    private final HttpClient client;
    private final RouteWatcher watcher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpRouter(HttpServer server, HttpClient client, RouteWatcher watcher) {
        this.server = server;
        this.client = client;
        this.watcher = watcher;
    }

    /**
     * Loads the routes from {@code routes}, keeps watching them, and listens on the configured
     * address. Fails with {@link Unavailable} when the routes cannot be read from ZooKeeper, or with
     * the server's error when the address cannot be bound. Never blocks the calling thread.
     */
    public static Future<HttpRouter> start(Vertx vertx, RouterConfig config, RouteStore routes) {
        LiveRoutes live = new LiveRoutes(config.domain());
        return watch(vertx, routes, live).compose(watcher -> {
            HttpClient client = vertx.httpClientBuilder()
                    .with(new HttpClientOptions()
                            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                            .setKeepAlive(true))
                    .with(new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_INSTANCE))
                    .build();
            ProxyHandler handler = new ProxyHandler(live, client, config.connectTimeout(), config.requestTimeout(), Clock.systemUTC());
            return vertx.createHttpServer(new HttpServerOptions()
                            .setHost(config.host())
                            .setPort(config.port())
                            // The router takes the body itself, so "Expect: 100-continue" clients are answered here.
                            .setHandle100ContinueAutomatically(true))
                    .requestHandler(handler)
                    .listen()
                    .map(server -> {
                        LOG.info("router listening on {}:{} for *.{}", config.host(), server.actualPort(), config.domain());
                        return new HttpRouter(server, client, watcher);
                    })
                    .recover(failure -> {
                        watcher.close();
                        client.close();
                        return Future.failedFuture(new IllegalStateException(
                                "router could not listen on " + config.host() + ":" + config.port() + ": " + failure.getMessage(), failure));
                    });
        });
    }

    private static Future<RouteWatcher> watch(Vertx vertx, RouteStore routes, LiveRoutes live) {
        WorkerExecutor zookeeper = vertx.createSharedWorkerExecutor("slipway-router-zookeeper", 1);
        return zookeeper.<RouteWatcher>executeBlocking(() -> {
            RouteWatcher watcher = routes.watch(live);
            if (!watcher.awaitInitialized(INITIAL_LOAD_SECONDS, TimeUnit.SECONDS)) {
                watcher.close();
                throw new Unavailable("the routes were not read from ZooKeeper within " + INITIAL_LOAD_SECONDS + " s");
            }
            return watcher;
        }).andThen(done -> zookeeper.close());
    }

    /** The port the router listens on (the one picked when the configured port was 0). */
    public int port() {
        return server.actualPort();
    }

    /** Stops watching routes and closes the listener and the connections to apps, without waiting. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            watcher.close();
            server.close();
            client.close();
            LOG.info("router stopped");
        }
    }
}
