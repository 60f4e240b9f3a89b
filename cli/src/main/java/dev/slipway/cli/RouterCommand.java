package dev.slipway.cli;

import dev.slipway.router.HttpRouter;
import dev.slipway.router.RouterConfig;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
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
    @Option(names = "--https-port", description = "also serve HTTPS on this port (0 picks a free one): TLS 1.2 and "
            + "1.3 with each custom domain's certificate (certs:add) by SNI; off when not given (docs/tls.md)")
    Integer httpsPort;
    @Option(names = "--https-cert", description = "with --https-port: the default certificate's PEM file, served for "
            + "names without a certificate of their own (the platform domain's wildcard, *.<domain>); without it, "
            + "a self-signed one is made at start")
    Path httpsCertificate;
    @Option(names = "--https-key", description = "with --https-cert: its private key's PEM file")
    Path httpsKey;
    @Option(names = "--pid-file", description = "once listening, write this router's pid and port here (JSON); "
            + "removed when it stops. `slipway up` uses it to find its router again")
    Path pidFile;

    @Override
    public Integer call() throws Exception {
        RouterConfig config;
        try {
            config = new RouterConfig(host, port, domain, Duration.ofSeconds(connectTimeoutSeconds),
                    Duration.ofSeconds(requestTimeoutSeconds));
            if (httpsPort != null) {
                config = config.withTls(new RouterConfig.Tls(httpsPort, httpsCertificate, httpsKey));
            } else if (httpsCertificate != null || httpsKey != null) {
                throw new CliError("--https-cert and --https-key need --https-port");
            }
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        CuratorFramework curator = connectToZooKeeper();
        // Epoll where the platform has it (Linux): the router's throughput depends on it.
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            Log.LOG.info("the router runs on Java NIO, not epoll ({})", vertx.unavailableNativeTransportCause() == null
                    ? "not Linux" : vertx.unavailableNativeTransportCause().getMessage());
        }
        HttpRouter router;
        try {
            router = HttpRouter.start(vertx, config, new RouteStore(curator), java.time.Clock.systemUTC())
                    .await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            curator.close();
            throw new CliError("the router did not start: " + e.getMessage());
        }
        RouterPidFile written = new RouterPidFile(ProcessHandle.current().pid(), config.host(), router.port(),
                router.httpsPort(), config.domain(), zk, RouterPidFile.thisBuild());
        if (pidFile != null) {
            written.write(pidFile);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (pidFile != null) {
                written.deleteIfStill(pidFile);
            }
            try {
                router.stop().await(10, TimeUnit.SECONDS);
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                Log.LOG.warn("the router's connections did not all close within 10 s");
            } finally {
                curator.close();
                stopped.countDown();
            }
        }, "slipway-router-shutdown"));
        stopped.await();
        return 0;
    }

    /** The router's one ZooKeeper connection: it only reads {@code /routes}. */
    private CuratorFramework connectToZooKeeper() {
        Log.LOG.info("reading routes from ZooKeeper at {}", zk);
        return ZkClient.connectAsRouter(zk, ZkPaths.DEFAULT_CHROOT, ZkCredentials.load(zkCredentialsFile),
                ZK_CONNECT_SECONDS);
    }
}
