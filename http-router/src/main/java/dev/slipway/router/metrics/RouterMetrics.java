package dev.slipway.router.metrics;

import dev.slipway.router.log.RouterLog;
import dev.slipway.router.proxy.ConnectionTap;
import dev.slipway.router.route.RouteTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The router's Prometheus metrics (docs/routing.md, "Metrics"): requests by app and status class,
 * Heroku's error codes by app and code, service and connect time histograms, client connections,
 * requests in flight, bytes, the route table and the router lines dropped. Fed by the router lines
 * ({@link #lines()}: one per request to an app) and by the client connections ({@link #connections()}),
 * so the proxy's data path knows nothing of it. Apps are the only label with many values, and they are
 * bounded by the route table: never a path, a Host header or a client address.
 *
 * <p>Everything is lock-free on the event loops; {@link #scrape()} does the formatting, off them.
 */
public final class RouterMetrics {
    static final String PREFIX = "slipway.router.";
    /** Buckets of the service time: from a fast cache hit to Heroku's 30 s limit. */
    private static final Duration[] SERVICE_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000);
    /** Buckets of the connect time: a loopback connect takes well under a millisecond, the limit is 5 s. */
    private static final Duration[] CONNECT_BUCKETS = millis(1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, AppMeters> apps = new ConcurrentHashMap<>();
    private final Timer connect;
    private final LineMeter lines = new LineMeter(this);
    private final TrafficMeter traffic;
    private final AtomicLong routeVersion = new AtomicLong();

    /**
     * @param routes the route table in force (its size is read at each scrape)
     * @param log    the router lines' other destination, whose dropped lines are counted
     */
    public RouterMetrics(Supplier<RouteTable> routes, RouterLog log) {
        connect = Timer.builder(PREFIX + "connect")
                .description("Time to connect to an app instance, for requests that got a connection")
                .serviceLevelObjectives(CONNECT_BUCKETS)
                .register(registry);
        traffic = new TrafficMeter(registry);
        Gauge.builder(PREFIX + "routes.apps", routes, table -> table.get().apps())
                .description("Apps in the route table in force").register(registry);
        Gauge.builder(PREFIX + "routes.endpoints", routes, table -> table.get().endpoints())
                .description("App instances in the route table in force").register(registry);
        Gauge.builder(PREFIX + "routes.version", routeVersion, AtomicLong::get)
                .description("The route version this router serves (the newest route's version)").register(registry);
        FunctionCounter.builder(PREFIX + "log.lines.dropped", log, RouterLog::dropped)
                .description("Router lines dropped before they reached the apps' logs (queue full, or refused)")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The consumer of the router lines that counts them: tee it beside the log shipper. */
    public RouterLog lines() {
        return lines;
    }

    /** What counts bytes, connections and requests in flight on each client connection. */
    public ConnectionTap connections() {
        return traffic;
    }

    /** The route version now served (called on ZooKeeper's thread). */
    public void routeVersion(long version) {
        routeVersion.set(version);
    }

    /** Everything, in Prometheus's text format (0.0.4). Formatting takes a while: not on an event loop. */
    public String scrape() {
        return registry.scrape();
    }

    /** Content type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    /** One request to {@code app} ended. {@code code} is Heroku's (H12) or null; times are -1 when there were none. */
    void requestEnded(String app, int status, String code, long connectMillis, long serviceMillis, long bytes) {
        AppMeters meters = apps.computeIfAbsent(app, this::appMeters);
        meters.status(status).increment();
        if (code != null) {
            meters.error(code).increment();
        }
        if (serviceMillis >= 0) {
            meters.service.record(serviceMillis, TimeUnit.MILLISECONDS);
        }
        if (connectMillis >= 0) {
            connect.record(connectMillis, TimeUnit.MILLISECONDS);
        }
        if (bytes > 0) {
            meters.bytes.increment(bytes);
        }
    }

    private AppMeters appMeters(String app) {
        return new AppMeters(app);
    }

    /** One app's meters, made the first time a request to it ends. */
    private final class AppMeters {
        private final String app;
        /** 1xx to 5xx at 1 to 5; anything else at 0. */
        private final Counter[] statuses = new Counter[6];
        private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
        private final Timer service;
        private final Counter bytes;

        AppMeters(String app) {
            this.app = app;
            for (int i = 0; i < statuses.length; i++) {
                statuses[i] = Counter.builder(PREFIX + "requests")
                        .description("Requests to apps that ended, by app and status class")
                        .tag("app", app).tag("status", i == 0 ? "other" : i + "xx")
                        .register(registry);
            }
            service = Timer.builder(PREFIX + "service")
                    .description("Time from the request sent to the app instance until the answer ended (Heroku's service=)")
                    .tag("app", app)
                    .serviceLevelObjectives(SERVICE_BUCKETS)
                    .register(registry);
            bytes = Counter.builder(PREFIX + "response.body")
                    .description("Bytes of the answers to requests to apps (the router lines' bytes=)")
                    .baseUnit("bytes")
                    .tag("app", app)
                    .register(registry);
        }

        Counter status(int status) {
            int kind = status / 100;
            return statuses[kind >= 1 && kind <= 5 ? kind : 0];
        }

        Counter error(String code) {
            return errors.computeIfAbsent(code, c -> Counter.builder(PREFIX + "errors")
                    .description("Requests that ended with one of Heroku's error codes, by app and code")
                    .tag("app", app).tag("code", c)
                    .register(registry));
        }
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }
}
