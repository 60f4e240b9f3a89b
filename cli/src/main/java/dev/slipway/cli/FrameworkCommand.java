package dev.slipway.cli;

import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.api.ApiAccess;
import dev.slipway.framework.deploy.Sizes;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.mesos.Credential;
import dev.slipway.zk.PrivateFiles;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slipway framework}: only the framework (the Mesos scheduler and the REST API), against a
 * ZooKeeper and a Mesos master that run elsewhere. Any number may run, on one machine or several:
 * they elect one leader in ZooKeeper, which schedules; the others forward API calls to it and take
 * over when it dies. The framework inside {@code slipway up} takes part in the same election.
 */
@Command(name = "framework", description = "Run only the framework (the Mesos scheduler and the REST API) against "
        + "a running ZooKeeper and Mesos master. Run several for high availability: one is elected leader and "
        + "schedules, the others forward API calls to it and take over within seconds when it dies.")
final class FrameworkCommand implements Callable<Integer> {
    /** Held apart so that building the command line (every verb's start) does not set up logging. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(FrameworkCommand.class);
    }
    private static final int ZK_CONNECT_SECONDS = 30;

    @Option(names = "--zk", required = true, description = "ZooKeeper connect string host:port[,host:port] (Slipway's "
            + "state is under " + ZkPaths.DEFAULT_CHROOT + ")")
    String zk;
    @Option(names = "--zk-credentials-file", required = true, description = "Slipway's ZooKeeper credentials file "
            + "(<data-dir>/zookeeper.credentials of `slipway up`, or the one every part of Slipway is given); the "
            + "framework connects as its 'slipway' identity")
    Path zkCredentialsFile;
    @Option(names = "--master", required = true, description = "the Mesos master: http://host:5050, or "
            + "zk://host:2181[,host:2181]/mesos to follow the leading master")
    URI master;
    @Option(names = "--mesos-principal", description = "the principal the framework authenticates to Mesos with "
            + "(HTTP basic, the master's --credentials); `slipway up`'s mesos-local wants 'slipway'")
    String mesosPrincipal;
    @Option(names = "--mesos-secret-file", description = "a file whose first line is the secret of --mesos-principal "
            + "(for `slipway up`'s mesos-local: <data-dir>/secrets/mesos-framework-secret)")
    Path mesosSecretFile;
    @Option(names = "--data-dir", description = "where this framework keeps slugs and build scratch space, under "
            + "framework/ (default: $SLIPWAY_HOME or ~/.slipway). Framework processes that may lead in turn must "
            + "share it: the same folder on one machine, a shared file system across machines")
    Path dataDir;
    @Option(names = "--router-port", defaultValue = "8080", description = "the routers' public port, for the app "
            + "URLs the API shows (default: ${DEFAULT-VALUE})")
    int routerPort;
    @Option(names = "--admin-token-file", description = "where the first admin's token is written (mode 0600) "
            + "when this framework is the first to start on its ZooKeeper and makes it (default: admin-token in the "
            + "data directory); `slipway login` then takes it")
    Path adminTokenFile;
    @Mixin
    FrameworkOptions framework = new FrameworkOptions();

    @Override
    public Integer call() throws Exception {
        // Settings first: a bad one is refused before any file is read or anything connected to.
        FrameworkOptions f = framework;
        LocalSlipway.BuildPlace place = f.buildPlace();
        ApiAccess access = f.access();
        Sizes sizes = f.sizeTable();
        int keepReleases = f.keepReleases();
        Path home = PrivateFiles.directory(dataDir != null ? dataDir : Locations.home());
        Credential credential = UpCommand.credential(mesosPrincipal, mesosSecretFile);
        ZkCredentials credentials;
        try {
            credentials = ZkCredentials.load(zkCredentialsFile);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        int port = f.apiPort == 0 ? freePort() : f.apiPort;
        URI advertised = f.advertiseUrl != null ? f.advertiseUrl
                : URI.create("http://" + (f.apiHost.equals("0.0.0.0") ? "127.0.0.1" : f.apiHost) + ":" + port);
        String stackImage = LocalSlipway.stackImage(place, f.stack(), FrameworkCommand::say);
        FrameworkConfig config;
        try {
            config = new FrameworkConfig(new MesosSettings(master, "slipway", null, "*", null, advertised + "/", null,
                    credential), f.apiHost, port, advertised, home.resolve("framework"), f.jar(), f.buildpacks(),
                    f.domain, routerPort, null, stackImage)
                    .withApiAccess(access).withResources(FrameworkConfig.Resources.DEFAULT.withSizes(sizes))
                    .withGit(f.git()).withKeepReleases(keepReleases);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        CuratorFramework curator = ZkClient.connect(zk, ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), ZK_CONNECT_SECONDS, ZkClient.FRAMEWORK_SESSION);
        Vertx vertx = Vertx.vertx();
        Framework framework;
        try {
            credentials.acls().migrate(curator);
            framework = Framework.start(vertx, config, curator, Clock.systemUTC()).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            curator.close();
            throw new CliError("the framework did not start: " + e.getMessage());
        }
        if (framework.firstAdminToken().isPresent()) {
            Path file = adminTokenFile != null ? adminTokenFile : home.resolve("admin-token");
            writeAdminToken(file, framework.firstAdminToken().get());
            say("First start: made the admin user 'admin'; its token is in " + file + " (mode 0600). Log in with "
                    + "`slipway login --api " + advertised + " < " + file + "`, then delete the file");
        }
        say("Framework API on " + advertised + "/ (ZooKeeper " + zk + ", Mesos " + master + "): it schedules while it "
                + "leads, and forwards API calls to the leader while it follows");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                framework.close();
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                Log.LOG.warn("while stopping: {}", e.getMessage());
            } finally {
                curator.close();
                stopped.countDown();
            }
        }, "slipway-framework-shutdown"));
        stopped.await();
        return 0;
    }

    /** Writes the token into a new file of mode 0600 (made with that mode: never readable by others). */
    private static void writeAdminToken(Path file, String token) {
        try {
            java.nio.file.Files.deleteIfExists(file);
            PrivateFiles.createFile(file);
            java.nio.file.Files.writeString(file, token + "\n");
        } catch (java.io.IOException e) {
            throw new CliError("could not write the first admin's token to " + file + ": " + e.getMessage()
                    + " (it exists nowhere else: remove /slipway/auth/users/admin from ZooKeeper to make another)");
        }
    }

    private static int freePort() throws java.io.IOException {
        // The API's URL is advertised before it listens, so its port is chosen up front.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void say(String line) {
        System.out.println("-----> " + line);
    }
}
