package dev.slipway.cli;

import dev.slipway.router.DataPath;
import dev.slipway.router.HttpRouter;
import dev.slipway.router.RouterConfig;
import dev.slipway.router.balance.Balance;
import dev.slipway.router.log.LogShipper;
import dev.slipway.router.log.RouterLog;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slipway router}: only the HTTP router, reading its routes from ZooKeeper. It needs
 * nothing else of Slipway to serve: while the framework (or ZooKeeper) is away it keeps the last
 * routes it read. {@code slipway up} runs it as a child process; on a cluster it runs on its own.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Run only the HTTP router: it proxies <app>.<domain> to the healthy instances whose routes "
                + "the framework writes to ZooKeeper, and keeps serving the last routes it knew while the "
                + "framework or ZooKeeper is away.")
final class RouterCommand implements Callable<Integer> {
    /** Held apart so that building the command line (every verb's start) does not set up logging. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RouterCommand.class);
    }
    /** How long start-up waits for a ZooKeeper server; once started, the router waits for it forever. */
    private static final int ZK_CONNECT_SECONDS = 30;
    /** How long a stopping router gives its queued log lines to reach the framework. */
    private static final Duration LOG_FLUSH = Duration.ofSeconds(2);

    @Option(names = "--zk", required = true, description = "ZooKeeper connect string host:port[,host:port] (Slipway's "
            + "state is under " + ZkPaths.DEFAULT_CHROOT + ")")
    String zk;
    @Option(names = "--zk-credentials-file", required = true, description = "Slipway's ZooKeeper credentials file "
            + "(<data-dir>/zookeeper.credentials, or up's --zk-credentials-file); the router connects as its "
            + "read-only 'router' identity")
    Path zkCredentialsFile;
    @Option(names = "--router-host", defaultValue = "127.0.0.1", description = "address to listen on (0.0.0.0 to "
            + "serve other machines; default: ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--router-port", defaultValue = "8080", description = "port to listen on; 0 picks a free one "
            + "(default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--domain", defaultValue = "localhost", description = "apps answer at <app>.<domain> "
            + "(default: ${DEFAULT-VALUE})")
    String domain;
    @Option(names = "--connect-timeout-seconds", defaultValue = "5", description = "how long to wait for a "
            + "connection to an instance (default: ${DEFAULT-VALUE})")
    int connectTimeoutSeconds;
    @Option(names = "--request-timeout-seconds", defaultValue = "30", description = "how long to wait for an "
            + "instance's response to start before answering 503 (default: ${DEFAULT-VALUE})")
    int requestTimeoutSeconds;
    @Option(names = "--balance", defaultValue = "least-outstanding", description = "how requests are spread over an "
            + "app's instances: least-outstanding (of two drawn at random, the one with fewer requests in flight) or "
            + "round-robin (default: ${DEFAULT-VALUE})")
    String balance;
    @Option(names = "--header-timeout-seconds", defaultValue = "60", description = "how long a client may take to "
            + "send a whole request head, as nginx's client_header_timeout (default: ${DEFAULT-VALUE})")
    int headerTimeoutSeconds;
    @Option(names = "--body-timeout-seconds", defaultValue = "60", description = "the longest pause between two "
            + "reads of a request body, as nginx's client_body_timeout (default: ${DEFAULT-VALUE})")
    int bodyTimeoutSeconds;
    @Option(names = "--keep-alive-timeout-seconds", defaultValue = "75", description = "how long an idle client "
            + "connection is kept between requests, as nginx's keepalive_timeout (default: ${DEFAULT-VALUE})")
    int keepAliveTimeoutSeconds;
    @Option(names = "--connections-per-address", defaultValue = "1024", description = "the most connections one "
            + "client address may hold open at once (default: ${DEFAULT-VALUE})")
    int connectionsPerAddress;
    @Option(names = "--api", paramLabel = "URL", description = "the framework's API (http://host:7070): the router "
            + "ships its line about each request there, into the app's log (`slipway logs -s router`); needs "
            + "--log-token-file. Without it, the router's lines go nowhere")
    URI api;
    @Option(names = "--log-token-file", paramLabel = "FILE", description = "the router's credential for --api "
            + "(slwrouter.<id>.<signature>; `slipway up` writes <data-dir>/router/log.token, an admin mints "
            + "one for a cluster with POST /router-credentials); read again when the framework refuses it")
    Path logTokenFile;
    @Option(names = "--https-port", description = "also serve HTTPS on this port (0 picks a free one): TLS 1.2 and "
            + "1.3 with each custom domain's certificate (certs:add) by SNI; off when not given (docs/tls.md)")
    Integer httpsPort;
    @Option(names = "--https-cert", description = "with --https-port: the default certificate's PEM file, served for "
            + "names without a certificate of their own (the platform domain's wildcard, *.<domain>); without it, "
            + "a self-signed one is made at start")
    Path httpsCertificate;
    @Option(names = "--https-key", description = "with --https-cert: its private key's PEM file")
    Path httpsKey;
    @Option(names = "--idle-timeout-seconds", defaultValue = "55", description = "once an app's answer has started, "
            + "the longest it may send nothing before the router closes it (Heroku's H15; default: ${DEFAULT-VALUE})")
    int idleTimeoutSeconds;
    @Option(names = "--drain-seconds", defaultValue = "10", description = "on stop (SIGTERM), how long requests in "
            + "flight may take to finish; new connections are refused at once, and what still runs after this is cut "
            + "(default: ${DEFAULT-VALUE})")
    int drainSeconds;
    @Option(names = "--metrics-port", description = "serve Prometheus metrics at GET /metrics on this port (0 picks "
            + "a free one); off when not given (docs/routing.md, \"Metrics\")")
    Integer metricsPort;
    @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "with --metrics-port: the address "
            + "of the metrics listener (default: ${DEFAULT-VALUE}; the metrics name every app)")
    String metricsHost;
    @Option(names = "--data-path", description = "how bytes move between clients and apps: vertx (Vert.x's HTTP "
            + "server and client; the default) or netty (written on Netty's HTTP/1.1 and HTTP/2 codecs); "
            + "without it, the JVM property slipway.router.dataPath decides (docs/routing.md, \"The data path\")")
    String dataPath;
    @Option(names = "--pid-file", description = "once listening, write this router's pid and port here (JSON); "
            + "removed when it stops. `slipway up` uses it to find its router again")
    Path pidFile;

    @Override
    public Integer call() throws Exception {
        RouterConfig config = config();
        if ((api == null) != (logTokenFile == null)) {
            throw new CliError("--api and --log-token-file go together: the router ships its log lines to the API "
                    + "with the credential in the file");
        }
        CuratorFramework curator = connectToZooKeeper();
        // Epoll where the platform has it (Linux): the router's throughput depends on it.
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            Log.LOG.info("the router runs on Java NIO, not epoll ({})", vertx.unavailableNativeTransportCause() == null
                    ? "not Linux" : vertx.unavailableNativeTransportCause().getMessage());
        }
        // The router's lines about each request, shipped to the framework (none without --api).
        LogShipper log = api == null ? null : LogShipper.start(vertx, logLinesUrl(api),
                LogShipper.CredentialSource.file(logTokenFile), LogShipper.Settings.defaults(), Clock.systemUTC());
        HttpRouter router;
        try {
            router = HttpRouter.start(vertx, config, new RouteStore(curator), Clock.systemUTC(),
                    log == null ? RouterLog.NONE : log).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            curator.close();
            throw new CliError("the router did not start: " + e.getMessage());
        }
        RouterPidFile written = new RouterPidFile(ProcessHandle.current().pid(), config.host(), router.port(),
                router.httpsPort(), config.domain(), zk, RouterPidFile.thisBuild(), api == null ? null : api.toString(),
                router.metricsPort() < 0 ? null : router.metricsPort());
        if (pidFile != null) {
            written.write(pidFile);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (pidFile != null) {
                written.deleteIfStill(pidFile);
            }
            try {
                // The drain: requests in flight finish (or are cut at its end), no new connection is taken.
                router.stop().await(config.drain().toSeconds() + 10, TimeUnit.SECONDS);
                if (log != null) {
                    log.close(LOG_FLUSH).await(LOG_FLUSH.toSeconds() + 5, TimeUnit.SECONDS);
                }
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                Log.LOG.warn("the router's connections did not all close within {} s", config.drain().toSeconds() + 10);
            } finally {
                curator.close();
                stopped.countDown();
            }
        }, "slipway-router-shutdown"));
        stopped.await();
        return 0;
    }

    /** The router's settings from the flags, with a one-line error naming a bad one. */
    RouterConfig config() {
        try {
            return new RouterConfig(host, port, domain, Duration.ofSeconds(connectTimeoutSeconds),
                    Duration.ofSeconds(requestTimeoutSeconds), new RouterConfig.ClientLimits(
                    Duration.ofSeconds(headerTimeoutSeconds), Duration.ofSeconds(bodyTimeoutSeconds),
                    Duration.ofSeconds(keepAliveTimeoutSeconds), connectionsPerAddress))
                    .withBalance(Balance.ofFlag(balance))
                    .withTls(tls())
                    .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                    .withDrain(Duration.ofSeconds(drainSeconds))
                    .withMetrics(metrics())
                    .withDataPath(dataPath == null ? null : DataPath.of(dataPath));
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
    }

    /** The metrics listener the flags ask for, or null for none. */
    private RouterConfig.Metrics metrics() {
        return metricsPort == null ? null : new RouterConfig.Metrics(metricsHost, metricsPort);
    }

    /** The HTTPS listener the flags ask for, or null for none. */
    private RouterConfig.Tls tls() {
        if (httpsPort != null) {
            return new RouterConfig.Tls(httpsPort, httpsCertificate, httpsKey);
        }
        if (httpsCertificate != null || httpsKey != null) {
            throw new CliError("--https-cert and --https-key need --https-port");
        }
        return null;
    }

    /** Where the router's log lines go: {@code <api>/router-log-lines}. */
    static URI logLinesUrl(URI api) {
        String base = api.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "router-log-lines");
    }

    /** The router's one ZooKeeper connection: it only reads {@code /routes}. */
    private CuratorFramework connectToZooKeeper() {
        Log.LOG.info("reading routes from ZooKeeper at {}", zk);
        return ZkClient.connectAsRouter(zk, ZkPaths.DEFAULT_CHROOT, ZkCredentials.load(zkCredentialsFile),
                ZK_CONNECT_SECONDS);
    }
}
