package dev.slipway.router;

import dev.slipway.router.log.RouterLog;
import dev.slipway.router.metrics.MetricsListener;
import dev.slipway.router.metrics.RouterMetrics;
import dev.slipway.router.proxy.ConnectionTap;
import dev.slipway.router.proxy.ClientConnections;
import dev.slipway.router.proxy.NettyListener;
import dev.slipway.router.route.LiveRoutes;
import dev.slipway.router.tls.HttpsListener;
import dev.slipway.router.tls.LiveCertificates;
import dev.slipway.zk.CertStore;
import dev.slipway.zk.TableWatcher;
import dev.slipway.zk.TlsCertificate;
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
import java.util.function.Supplier;
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

    /** Stops the data path's listeners (a drain), then its connections to apps. */
    private final Supplier<Future<Void>> stopListening;
    private final int port;
    private final int httpsPort;
    private final List<AutoCloseable> watchers;
    private final RouterAcks.Acknowledger ack;
    private final MetricsListener metrics;
    private final ClientConnections clients;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Future<Void> stopped = Future.succeededFuture();

    private HttpRouter(Supplier<Future<Void>> stopListening, int port, int httpsPort, List<AutoCloseable> watchers,
                       RouterAcks.Acknowledger ack, MetricsListener metrics, ClientConnections clients) {
        this.stopListening = stopListening;
        this.port = port;
        this.httpsPort = httpsPort;
        this.watchers = List.copyOf(watchers);
        this.ack = ack;
        this.metrics = metrics;
        this.clients = clients;
    }

    /**
     * Loads the routes from {@code routes}, keeps watching them, and listens on the configured
     * address with one event loop per core; with {@link RouterConfig#tls()}, also on the HTTPS port,
     * serving the certificates stored beside the routes (watched too). Fails with {@link Unavailable}
     * when the routes cannot be read from ZooKeeper, or with the server's error when the address
     * cannot be bound. Never blocks the calling thread. {@code clock} gives the time each request
     * arrived ({@code X-Request-Start}): the system clock in production.
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
        LiveCertificates certificates;
        try {
            certificates = config.tls() == null ? null : new LiveCertificates(HttpsListener.defaultCertificate(
                    config.tls().certificate(), config.tls().key(), config.domain()));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        // Loops listening on one port share its socket; a negative port is Vert.x's way for them to
        // share one random port (0 would give each its own), unique to this router.
        int port = shared(config.port());
        int httpsPort = config.tls() == null ? -1 : shared(config.tls().port());
        List<RouterLoop> started = new CopyOnWriteArrayList<>();
        RouterAcks.Acknowledger ack = routes.acks().register("router-" + UUID.randomUUID());
        // The metrics see each router line (beside the log shipper) and each client connection.
        RouterMetrics meters = config.metrics() == null ? null : new RouterMetrics(live, log);
        RouterLog lines = meters == null ? log : RouterLog.tee(log, meters.lines());
        ClientConnections clients = new ClientConnections(config.clients(),
                meters == null ? ConnectionTap.NONE : meters.connections());
        List<AutoCloseable> watchers = new CopyOnWriteArrayList<>();
        List<MetricsListener> admin = new CopyOnWriteArrayList<>();
        return watch(vertx, routes, live, ack, meters)
                .compose(watcher -> {
                    watchers.add(watcher);
                    return certificates == null ? Future.<TableWatcher<TlsCertificate>>succeededFuture()
                            : watchCertificates(vertx, routes.certs(), certificates);
                })
                .compose(certWatcher -> {
                    if (certWatcher != null) {
                        watchers.add(certWatcher);
                    }
                    if (config.dataPath() == DataPath.NETTY) {
                        return NettyListener.start(config, certificates, live, clock, lines, clients, loops)
                                .map(netty -> new Listening(netty.port(), netty.httpsPort(), netty::stop));
                    }
                    return vertx.deployVerticle(() -> {
                        RouterLoop loop = new RouterLoop(config, port, httpsPort, certificates, live, clock, clients, lines);
                        started.add(loop);
                        return loop;
                    }, new DeploymentOptions().setInstances(loops)).map(deployment -> new Listening(
                            started.get(0).port(), started.get(0).httpsPort(), () -> vertx.undeploy(deployment)));
                })
                .compose(listening -> meters == null ? Future.succeededFuture(listening)
                        : MetricsListener.start(vertx, meters, config.metrics().host(), config.metrics().port())
                                .onSuccess(admin::add)
                                .map(listening)
                                .recover(failure -> listening.stop().get().transform(undeployed -> Future.failedFuture(failure))))
                .map(listening -> {
                    int actual = listening.port();
                    int actualHttps = listening.httpsPort();
                    MetricsListener listener = admin.isEmpty() ? null : admin.get(0);
                    LOG.info("router listening on {}:{}{} for *.{} ({} event loops, {} data path){}", config.host(), actual,
                            actualHttps < 0 ? "" : " and HTTPS on " + actualHttps, config.domain(), loops,
                            config.dataPath().name().toLowerCase(java.util.Locale.ROOT),
                            listener == null ? "" : "; metrics on http://" + config.metrics().host() + ":"
                                    + listener.port() + "/metrics");
                    return new HttpRouter(listening.stop(), actual, actualHttps, watchers, ack, listener, clients);
                })
                .recover(failure -> {
                    watchers.forEach(HttpRouter::closeQuietly);
                    ack.close();
                    if (failure instanceof Unavailable) {
                        return Future.failedFuture(failure);
                    }
                    return Future.failedFuture(new IllegalStateException(
                            "router could not listen on " + config.host() + ":" + config.port()
                                    + (config.tls() == null ? "" : " and " + config.tls().port()) + ": " + failure.getMessage(), failure));
                });
    }

    /** The data path listening: its ports and how it stops. */
    private record Listening(int port, int httpsPort, Supplier<Future<Void>> stop) {
    }

    private static int shared(int port) {
        return port == 0 ? -RANDOM_PORT_KEYS.incrementAndGet() : port;
    }

    /**
     * Watches the routes; each new table is swapped in, then acknowledged (on ZooKeeper's thread):
     * the scheduler kills an instance taken out of the routes once every router has said so.
     */
    private static Future<RouteWatcher> watch(Vertx vertx, RouteStore routes, LiveRoutes live,
                                              RouterAcks.Acknowledger ack, RouterMetrics metrics) {
        return initialized(vertx, "routes", () -> routes.watch(table -> {
            live.onRoutes(table);
            long version = RouterAcks.versionOf(table.values());
            if (metrics != null) {
                metrics.routeVersion(version);
            }
            ack.served(version);
        }), RouteWatcher::awaitInitialized);
    }

    /** Watches the certificates; each new table is swapped in for the next handshakes. */
    private static Future<TableWatcher<TlsCertificate>> watchCertificates(Vertx vertx, CertStore certs,
                                                                         LiveCertificates live) {
        return initialized(vertx, "TLS certificates", () -> certs.watch(live), TableWatcher::awaitInitialized);
    }

    /** How a watcher is awaited. */
    @FunctionalInterface
    private interface Await<W> {
        boolean initialized(W watcher, long timeout, TimeUnit unit) throws InterruptedException;
    }

    /** Starts a watcher on a ZooKeeper worker and waits for its first full table there. */
    private static <W extends AutoCloseable> Future<W> initialized(Vertx vertx, String what, Supplier<W> start,
                                                                   Await<W> await) {
        WorkerExecutor zookeeper = vertx.createSharedWorkerExecutor("slipway-router-zookeeper", 1);
        return zookeeper.<W>executeBlocking(() -> {
            W watcher = start.get();
            if (!await.initialized(watcher, INITIAL_LOAD_SECONDS, TimeUnit.SECONDS)) {
                closeQuietly(watcher);
                throw new Unavailable("the " + what + " were not read from ZooKeeper within " + INITIAL_LOAD_SECONDS + " s");
            }
            return watcher;
        }).andThen(done -> zookeeper.close());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing a watcher failed: {}", e.toString());
        }
    }

    /** The port the router listens on (the one picked when the configured port was 0). */
    public int port() {
        return port;
    }

    /** The port of the HTTPS listener (the one picked when the configured port was 0); -1 without one. */
    public int httpsPort() {
        return httpsPort;
    }

    /** The port of the metrics listener (the one picked when the configured port was 0); -1 without one. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** Stops the router as {@link #stop}, without waiting. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stops gracefully: no new connection is accepted from now on, idle connections close, requests in
     * flight get up to {@link RouterConfig#drain()} to finish (their answers say {@code Connection: close}),
     * and whatever still runs then is cut. Completes once every connection is closed: wait for it
     * before closing the Vert.x instance, which would otherwise undeploy the loops a second time.
     * Stops watching routes at once (the last table serves the drain).
     */
    public Future<Void> stop() {
        if (!closed.compareAndSet(false, true)) {
            return stopped;
        }
        watchers.forEach(HttpRouter::closeQuietly);
        ack.close();
        clients.drain();
        // Undeploying shuts each loop's listeners down (the drain), then its connections to apps; the
        // netty data path drains the same way.
        Future<Void> loops = stopListening.get();
        stopped = (metrics == null ? loops : loops.eventually(metrics::close))
                .onComplete(done -> LOG.info("router stopped"));
        return stopped;
    }
}
