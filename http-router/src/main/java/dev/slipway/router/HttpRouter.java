package dev.slipway.router;

import dev.slipway.router.log.RouterLog;
import dev.slipway.router.proxy.ClientConnections;
import dev.slipway.router.route.LiveRoutes;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.RouterAcks;
import dev.slipway.zk.RouteWatcher;
import dev.slipway.zk.Unavailable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
    private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

    private final Vertx vertx;
    private final String deployment;
    private final int port;
    private final RouteWatcher watcher;
    private final RouterAcks.Acknowledger ack;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Future<Void> stopped = Future.succeededFuture();

    private HttpRouter(Vertx vertx, String deployment, int port, RouteWatcher watcher, RouterAcks.Acknowledger ack) {
        this.vertx = vertx;
        this.deployment = deployment;
        this.port = port;
        this.watcher = watcher;
        this.ack = ack;
    }

    /**
     * Loads the routes from {@code routes}, keeps watching them, and listens on the configured
     * address with one event loop per core. Fails with {@link Unavailable} when the routes cannot
     * be read from ZooKeeper, or with the server's error when the address cannot be bound. Never
     * blocks the calling thread. {@code clock} gives the time each request arrived
     * ({@code X-Request-Start}): the system clock in production.
     */
    public static Future<HttpRouter> start(Vertx vertx, RouterConfig config, RouteStore routes, Clock clock) {
        return start(vertx, config, routes, clock, RouterLog.NONE);
    }

    /**
     * As {@link #start(Vertx, RouterConfig, RouteStore, Clock)}, writing one router line per request to
     * an app (Heroku's {@code at=info ...}/{@code at=error code=H12 ...}) to {@code log}.
     */
    public static Future<HttpRouter> start(Vertx vertx, RouterConfig config, RouteStore routes, Clock clock, RouterLog log) {
        LiveRoutes live = new LiveRoutes(config.domain());
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        // Loops listening on one port share its socket; a negative port is Vert.x's way for them to
        // share one random port (0 would give each its own), unique to this router.
        int port = config.port() == 0 ? -RANDOM_PORT_KEYS.incrementAndGet() : config.port();
        List<RouterLoop> started = new CopyOnWriteArrayList<>();
        RouterAcks.Acknowledger ack = routes.acks().register("router-" + UUID.randomUUID());
        ClientConnections clients = new ClientConnections(config.clients());
        return watch(vertx, routes, live, ack).compose(watcher -> vertx.deployVerticle(() -> {
                    RouterLoop loop = new RouterLoop(config, port, live, clock, clients, log);
                    started.add(loop);
                    return loop;
                }, new DeploymentOptions().setInstances(loops))
                .map(deployment -> {
                    int actual = started.get(0).port();
                    LOG.info("router listening on {}:{} for *.{} ({} event loops)", config.host(), actual,
                            config.domain(), loops);
                    return new HttpRouter(vertx, deployment, actual, watcher, ack);
                })
                .recover(failure -> {
                    watcher.close();
                    ack.close();
                    return Future.failedFuture(new IllegalStateException(
                            "router could not listen on " + config.host() + ":" + config.port() + ": " + failure.getMessage(), failure));
                }));
    }

    /**
     * Watches the routes; each new table is swapped in, then acknowledged (on ZooKeeper's thread):
     * the scheduler kills an instance taken out of the routes once every router has said so.
     */
    private static Future<RouteWatcher> watch(Vertx vertx, RouteStore routes, LiveRoutes live,
                                              RouterAcks.Acknowledger ack) {
        WorkerExecutor zookeeper = vertx.createSharedWorkerExecutor("slipway-router-zookeeper", 1);
        return zookeeper.<RouteWatcher>executeBlocking(() -> {
            RouteWatcher watcher = routes.watch(table -> {
                live.onRoutes(table);
                ack.served(RouterAcks.versionOf(table.values()));
            });
            if (!watcher.awaitInitialized(INITIAL_LOAD_SECONDS, TimeUnit.SECONDS)) {
                watcher.close();
                ack.close();
                throw new Unavailable("the routes were not read from ZooKeeper within " + INITIAL_LOAD_SECONDS + " s");
            }
            return watcher;
        }).andThen(done -> zookeeper.close());
    }

    /** The port the router listens on (the one picked when the configured port was 0). */
    public int port() {
        return port;
    }

    /** Stops watching routes and closes the listener and the connections to apps, without waiting. */
    @Override
    public void close() {
        stop();
    }

    /**
     * As {@link #close}, completing once the listener and the connections are closed: wait for it
     * before closing the Vert.x instance, which would otherwise undeploy the loops a second time.
     */
    public Future<Void> stop() {
        if (!closed.compareAndSet(false, true)) {
            return stopped;
        }
        watcher.close();
        ack.close();
        // Undeploying closes each loop's listener and its connections to apps.
        stopped = vertx.undeploy(deployment).onComplete(done -> LOG.info("router stopped"));
        return stopped;
    }
}
