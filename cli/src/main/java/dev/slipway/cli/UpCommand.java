package dev.slipway.cli;

import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.router.HttpRouter;
import dev.slipway.router.RouterConfig;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slipway up}: everything on this machine in one process tree. ZooKeeper and the Mesos
 * master are embedded unless {@code --zk} and {@code --master} name real ones.
 */
@Command(name = "up", description = "Run Slipway on this machine: ZooKeeper, Mesos (mesos-local), the framework and the router.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "where Slipway keeps its state (default: $SLIPWAY_HOME or ~/.slipway)")
    Path dataDir;
    @Option(names = "--zk", description = "ZooKeeper connect string host:port[,host:port]; default: an embedded server")
    String zk;
    @Option(names = "--zk-port", defaultValue = "2181", description = "port of the embedded ZooKeeper")
    int zkPort;
    @Option(names = "--master", description = "Mesos master URL, e.g. http://10.0.0.5:5050; default: the embedded mesos-local")
    URI master;
    @Option(names = "--master-port", defaultValue = "5050", description = "port of mesos-local's master")
    int masterPort;
    @Option(names = "--agent-port", defaultValue = "5051", description = "port of mesos-local's agent")
    int agentPort;
    @Option(names = "--api-port", defaultValue = "7070", description = "port of the REST API")
    int apiPort;
    @Option(names = "--router-port", defaultValue = "8080", description = "port of the HTTP router")
    int routerPort;
    @Option(names = "--domain", defaultValue = "localhost", description = "apps answer at <app>.<domain>")
    String domain;
    @Option(names = "--executor-jar", description = "the executor jar (default: $SLIPWAY_EXECUTOR_JAR or next to this build)")
    Path executorJar;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    @Override
    public Integer call() throws Exception {
        Path home = dataDir != null ? dataDir : Locations.home();
        Files.createDirectories(home);
        Path jar = executorJar != null ? executorJar : Locations.executorJar();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "slipway-shutdown"));
        try {
            String zkConnect = zk;
            if (zkConnect == null) {
                EmbeddedZooKeeper server = EmbeddedZooKeeper.start(home.resolve("zookeeper"), zkPort);
                running.push(server);
                zkConnect = server.connectString();
                say("ZooKeeper (embedded) on " + zkConnect + ", data in " + home.resolve("zookeeper"));
            }
            CuratorFramework curator = ZkClient.connect(zkConnect, ZkPaths.DEFAULT_CHROOT, 30);
            running.push(curator::close);
            URI masterUri = master;
            if (masterUri == null) {
                MesosLocalConfig defaults = MesosLocalConfig.defaults(home.resolve("mesos"));
                MesosLocal mesos = MesosLocal.start(new MesosLocalConfig(defaults.host(), masterPort, agentPort,
                        defaults.workDir(), defaults.cpus(), defaults.memMb(), defaults.diskMb(),
                        defaults.portsBegin(), defaults.portsEnd(), defaults.hostname()));
                running.push(mesos);
                masterUri = mesos.masterUri();
                say("Mesos (mesos-local) master on " + masterUri + ", agent on " + mesos.agentUri()
                        + ", executors run as plain processes");
            }
            Vertx vertx = Vertx.vertx();
            running.push(() -> vertx.close().await(10, TimeUnit.SECONDS));
            URI api = URI.create("http://127.0.0.1:" + apiPort);
            FrameworkConfig config = new FrameworkConfig(
                    new MesosSettings(masterUri, "slipway", null, "*", null, api.toString(), null),
                    "127.0.0.1", apiPort, api, home.resolve("framework"), jar, domain, routerPort, null);
            Framework framework = Framework.start(vertx, config, curator).await(30, TimeUnit.SECONDS);
            running.push(framework);
            HttpRouter router = HttpRouter.start(vertx, new RouterConfig("127.0.0.1", routerPort, domain,
                    Duration.ofSeconds(5), Duration.ofSeconds(30)), new RouteStore(curator)).await(30, TimeUnit.SECONDS);
            running.push(router);
            say("API on " + api + "/, router on http://127.0.0.1:" + routerPort + "/ (apps at http://<app>."
                    + domain + ":" + routerPort + "/)");
            say("Slipway is up. Next: ./slipway apps:create hello && ./slipway deploy examples/procfile-hello -a hello");
        } catch (Exception e) {
            stop();
            throw new CliError("slipway up failed: " + e.getMessage());
        }
        new CountDownLatch(1).await();
        return 0;
    }

    private synchronized void stop() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }

    private static void say(String line) {
        System.out.println("-----> " + line);
    }
}
