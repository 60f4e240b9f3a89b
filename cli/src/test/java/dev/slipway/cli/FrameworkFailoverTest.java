package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.mesoslocal.MesosLocalFlags;
import dev.slipway.router.HttpRouter;
import dev.slipway.router.RouterConfig;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Json;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability: two {@code slipway framework} processes (JVMs of their own, sharing a data
 * directory) against one ZooKeeper, one mesos-local and one router, which run in this JVM. The
 * leader is killed with SIGKILL in the middle of a rolling deploy.
 */
class FrameworkFailoverTest {
    private static final int WEB = 3;

    @TempDir
    Path dir;
    EmbeddedZooKeeper zooKeeper;
    Path credentialsFile;
    CuratorFramework zk;
    MesosLocal mesos;
    Vertx vertx;
    HttpRouter router;
    final List<FrameworkProcess> frameworks = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
        credentialsFile = dir.resolve("zookeeper.credentials");
        ZkCredentials credentials = ZkCredentials.loadOrCreate(credentialsFile);
        zk = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), 30);
        credentials.acls().migrate(zk);
        MesosLocalConfig d = MesosLocalConfig.defaults(dir.resolve("mesos"));
        mesos = MesosLocal.start(new MesosLocalConfig(d.host(), 0, 0, d.workDir(), d.cpus(), d.memMb(), d.diskMb(),
                d.portsBegin(), d.portsEnd(), d.hostname()), MesosLocalFlags.defaults());
        vertx = Vertx.vertx();
        router = HttpRouter.start(vertx, new RouterConfig("127.0.0.1", 0, "localhost", Duration.ofSeconds(5),
                Duration.ofSeconds(30)), new RouteStore(zk), Clock.systemUTC()).await(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        frameworks.forEach(FrameworkProcess::kill);
        router.close();
        mesos.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        zk.close();
        zooKeeper.close();
    }

    @Test
    void whenTheLeaderIsKilledMidDeployTheFollowerTakesOverAndTheDeployCompletesWithNothingLostOrDoubled()
            throws Exception {
        FrameworkProcess first = start("first");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> first.health().path("mesos").asText().equals("subscribed"));
        FrameworkProcess second = start("second");
        assertThat(second.health().path("role").asText()).isEqualTo("follower");
        // Every call goes to the follower, which forwards it to the leader.
        assertThat(Cli.run(second.api, "apps:create", "hello").exitCode()).isZero();
        Cli.Result deployed = Cli.run(second.api, "deploy", EndToEndTest.EXAMPLE.toString(), "-a", "hello");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(Cli.run(second.api, "ps:scale", "web=" + WEB, "-a", "hello").exitCode()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> healthy(1).size() == WEB);

        try (RouterLoad load = RouterLoad.start(router.port(), "hello.localhost")) {
            load.awaitMore(50);
            Cli.Result redeployed = Cli.run(first.api, "deploy", EndToEndTest.EXAMPLE.toString(), "-a", "hello",
                    "--wait", "0");
            assertThat(redeployed.exitCode()).as(redeployed.toString()).isZero();
            // The rolling deploy has begun: an instance of v2 exists and those of v1 still run.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !live(2).isEmpty());
            assertThat(live(1)).isNotEmpty();
            first.kill();
            long killed = System.nanoTime();

            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> second.health().path("mesos").asText().equals("subscribed"));
            long tookOver = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.println("the follower subscribed " + tookOver + " ms after the leader was killed");

            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> healthy(2).size() == WEB && live(1).isEmpty());
            load.awaitMore(50);
            assertThat(load.failures()).as("requests that failed through the router").isEmpty();
        }
        // Nothing lost, nothing doubled: web.1..web.3 once each, and Mesos runs exactly those tasks.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> runningMesosTasks().size() == WEB);
        assertThat(live(2).stream().map(Instance::name).sorted().toList()).containsExactly("web.1", "web.2", "web.3");
        assertThat(runningMesosTasks()).containsExactlyInAnyOrderElementsOf(
                live(2).stream().map(Instance::taskId).toList());
        assertThat(Cli.run(second.api, "ps", "-a", "hello").out()).contains("web.3");
    }

    private List<Instance> live(int release) {
        return new InstanceStore(zk).list("hello").stream()
                .filter(i -> i.release() == release && !i.state().gone()).toList();
    }

    private List<Instance> healthy(int release) {
        return live(release).stream().filter(i -> i.state() == InstanceState.RUNNING && i.healthy()).toList();
    }

    /** The tasks mesos-local has not seen end, of every framework it knows. */
    private List<String> runningMesosTasks() throws Exception {
        JsonNode state = TestHttp.json(mesos.masterUri().resolve("/master/state"));
        List<String> running = new ArrayList<>();
        for (JsonNode framework : state.path("frameworks")) {
            for (JsonNode task : framework.path("tasks")) {
                if (!task.path("state").asText().matches("TASK_(FINISHED|FAILED|KILLED|ERROR|LOST|DROPPED|GONE.*)")) {
                    running.add(task.path("id").asText());
                }
            }
        }
        return running;
    }

    private FrameworkProcess start(String name) throws Exception {
        int port = freePort();
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-Dcom.google.protobuf")).forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RouterChild.MAIN_CLASS, "framework",
                "--zk", zooKeeper.connectString(), "--zk-credentials-file", credentialsFile.toString(),
                "--master", mesos.masterUri().toString(), "--data-dir", dir.resolve("shared").toString(),
                "--api-port", String.valueOf(port), "--router-port", String.valueOf(router.port()), "--builds", "host",
                "--executor-jar", EndToEndTest.EXECUTOR_JAR.toString(),
                "--buildpacks-dir", EndToEndTest.BUILDPACKS.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FrameworkProcess framework = new FrameworkProcess(process, "http://127.0.0.1:" + port, log);
        frameworks.add(framework);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as("slipway framework runs; its output:\n%s", framework.output()).isTrue();
            return framework.output().contains("Framework API on");
        });
        return framework;
    }

    /** {@code slipway framework} in a JVM of its own, its output in a file. */
    private record FrameworkProcess(Process process, String api, Path log) {
        JsonNode health() throws Exception {
            return Json.mapper().readTree(TestHttp.get(URI.create(api + "/ready")).body());
        }

        String output() throws Exception {
            return Files.readString(log);
        }

        /** SIGKILL: no shutdown hook runs, the ZooKeeper session and the Mesos subscription are left to time out. */
        void kill() {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
