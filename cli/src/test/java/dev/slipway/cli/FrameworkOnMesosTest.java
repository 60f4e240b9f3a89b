package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.mesoslocal.MesosLocalFlags;
import dev.slipway.mesoslocal.auth.Authentication;
import dev.slipway.mesos.Credential;
import dev.slipway.router.HttpRouter;
import dev.slipway.router.RouterConfig;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Json;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * The framework against a real mesos-local, reached through a TCP relay the test can cut or
 * freeze. It goes away and comes back (restart, dropped connection, missed heartbeats) while its
 * instances keep running: they stay running, stay routed, and are not launched twice. The agent
 * is small (600 MB), so that a second instance does not fit and shows why. mesos-local
 * authenticates the framework, its executors and {@code /master/state}, as {@code slipway up}'s does.
 */
class FrameworkOnMesosTest {
    static final Credential CREDENTIAL = new Credential("slipway", "a secret for this test");
    static final byte[] EXECUTOR_KEY = "an executor secret key, 32 bytes".getBytes(StandardCharsets.UTF_8);
    @TempDir
    Path home;
    EmbeddedZooKeeper zooKeeper;
    CuratorFramework zk;
    MesosLocal mesos;
    Vertx vertx;
    HttpRouter router;
    TcpRelay relay;
    Framework framework;
    String api;

    @BeforeEach
    void start() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(home.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        zk = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), 30);
        MesosLocalConfig d = MesosLocalConfig.defaults(home.resolve("mesos"));
        // Heartbeats every second, so that missing five of them takes five seconds.
        mesos = MesosLocal.start(new MesosLocalConfig(d.host(), 0, 0, d.workDir(), d.cpus(), 600, d.diskMb(),
                d.portsBegin(), d.portsEnd(), d.hostname()),
                MesosLocalFlags.defaults().withHeartbeatInterval(Duration.ofSeconds(1))
                        .withAuthentication(Authentication.required(List.of(CREDENTIAL), EXECUTOR_KEY)));
        vertx = Vertx.vertx();
        relay = TcpRelay.to(vertx, mesos.masterUri().getPort());
        router = HttpRouter.start(vertx, new RouterConfig("127.0.0.1", 0, "localhost", Duration.ofSeconds(5),
                Duration.ofSeconds(30)), new RouteStore(zk), java.time.Clock.systemUTC()).await(30, TimeUnit.SECONDS);
        startFramework();
    }

    void startFramework() throws Exception {
        startFrameworkWith(CREDENTIAL);
        awaitSubscribed();
    }

    void startFrameworkWith(Credential credential) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        api = "http://127.0.0.1:" + port;
        // The framework reaches the master through the relay, so that the test can cut the connection.
        URI master = URI.create("http://127.0.0.1:" + relay.port());
        FrameworkConfig config = new FrameworkConfig(new MesosSettings(master, "slipway", null, "*", null, api, null, credential),
                "127.0.0.1", port, URI.create(api), home.resolve("framework"), EndToEndTest.EXECUTOR_JAR, EndToEndTest.BUILDPACKS, "localhost",
                router.port(), null);
        framework = Framework.start(vertx, config, zk, java.time.Clock.systemUTC()).await(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.close();
        }
        router.close();
        relay.close();
        mesos.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        zk.close();
        zooKeeper.close();
    }

    @Test
    void aRestartedFrameworkKeepsItsRunningInstancesWithoutLaunchingThemAgain() throws Exception {
        String taskId = deployHello();

        framework.close();
        framework = null;
        // The data plane does not need the control plane.
        assertThat(get().statusCode()).isEqualTo(200);

        startFramework();
        assertStillOneRunningTask(taskId);
        assertThat(frameworksOnTheMaster()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionToTheMasterIsResubscribedWithoutLaunchingAgain() throws Exception {
        String taskId = deployHello();

        relay.cut();

        awaitSubscribed();
        assertStillOneRunningTask(taskId);
        assertThat(frameworksOnTheMaster()).isEqualTo(1);
    }

    @Test
    void missedHeartbeatsDropTheSilentConnectionAndTheFrameworkResubscribes() throws Exception {
        String taskId = deployHello();
        double subscribedAt = reregisteredTime();

        relay.freeze();

        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> reregisteredTime() > subscribedAt);
        awaitSubscribed();
        assertStillOneRunningTask(taskId);
        assertThat(frameworksOnTheMaster()).isEqualTo(1);
    }

    @Test
    void aFrameworkTornDownByTheMasterRegistersAnewAndItsInstancesComeBack() throws Exception {
        String taskId = deployHello();
        List<String> before = frameworkIds();
        assertThat(before).hasSize(1);

        // The operator's teardown (POST /master/teardown), with credentials: every task is killed.
        HttpResponse<String> teardown = TestHttp.postForm(mesos.masterUri().resolve("/master/teardown"),
                "frameworkId=" + before.get(0), CREDENTIAL.basicAuthorization());
        assertThat(teardown.statusCode()).as(teardown.body()).isEqualTo(200);

        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    List<String> now = frameworkIds();
                    List<String> running = runningTasks();
                    return now.size() == 1 && !now.equals(before) && running.size() == 1
                            && !running.get(0).equals(taskId) && get().statusCode() == 200;
                });
        awaitSubscribed();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            String running = runningTasks().get(0);
            return dynos().stream().anyMatch(d -> d.path("state").asText().equals("up")
                    && d.path("task_id").asText().equals(running));
        });
    }

    @Test
    void withoutCredentialsNoOneReadsTheFrameworkIdNorTearsItDown() throws Exception {
        deployHello();
        String frameworkId = frameworkIds().get(0);

        assertThat(TestHttp.get(mesos.masterUri().resolve("/master/state")).statusCode()).isEqualTo(401);
        assertThat(TestHttp.postForm(mesos.masterUri().resolve("/master/teardown"), "frameworkId=" + frameworkId,
                new Credential("slipway", "guessed").basicAuthorization()).statusCode()).isEqualTo(401);
        assertThat(frameworkIds()).containsExactly(frameworkId);
        assertThat(get().statusCode()).isEqualTo(200);
    }

    @Test
    void aFrameworkWithAWrongSecretNeverRegisters() throws Exception {
        framework.close();
        framework = null;
        int before = frameworksOnTheMaster();

        startFrameworkWith(new Credential("slipway", "not the secret"));

        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> send(URI.create(api + "/ready")).body().contains("\"disconnected\""));
        assertThat(frameworksOnTheMaster()).isEqualTo(before);
    }

    @Test
    void anInstanceNoOfferCanHoldIsListedPendingWithTheReason() throws Exception {
        deployHello();

        assertThat(Cli.run(api, "ps:scale", "web=2", "-a", "hello").exitCode()).isZero();

        Awaitility.await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> dynos().stream()
                .anyMatch(d -> d.path("name").asText().equals("web.2") && d.path("state").asText().equals("pending")
                        && d.path("message").asText().contains("needs 352 MB")));
        assertThat(Cli.run(api, "ps", "-a", "hello").out()).contains("web.2").contains("pending").contains("MB free");
    }

    private double reregisteredTime() throws Exception {
        return Json.mapper().readTree(send(mesos.masterUri().resolve("/master/state")).body())
                .path("frameworks").get(0).path("reregistered_time").asDouble();
    }

    private String deployHello() throws Exception {
        assertThat(Cli.run(api, "apps:create", "hello").exitCode()).isZero();
        Cli.Result deployed = Cli.run(api, "deploy", EndToEndTest.EXAMPLE.toString(), "-a", "hello");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        List<String> running = runningTasks();
        assertThat(running).hasSize(1);
        return running.get(0);
    }

    private void assertStillOneRunningTask(String taskId) {
        // Long enough for reconciliation and several planning rounds to have happened.
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> runningTasks().equals(List.of(taskId)) && get().statusCode() == 200);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> dynos().size() == 1 && dynos().get(0).path("task_id").asText().equals(taskId)
                        && dynos().get(0).path("state").asText().equals("up"));
    }

    private void awaitSubscribed() {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> send(URI.create(api + "/ready")).body().contains("\"subscribed\""));
    }

    private List<String> runningTasks() throws Exception {
        JsonNode state = Json.mapper().readTree(send(mesos.masterUri().resolve("/master/state")).body());
        List<String> running = new ArrayList<>();
        for (JsonNode fw : state.path("frameworks")) {
            for (JsonNode task : fw.path("tasks")) {
                if (!task.path("state").asText().matches("TASK_(FINISHED|FAILED|KILLED|ERROR|LOST|DROPPED|GONE.*)")) {
                    running.add(task.path("id").asText());
                }
            }
        }
        return running;
    }

    private List<String> frameworkIds() throws Exception {
        List<String> ids = new ArrayList<>();
        Json.mapper().readTree(send(mesos.masterUri().resolve("/master/state")).body()).path("frameworks")
                .forEach(fw -> ids.add(fw.path("id").asText()));
        return ids;
    }

    private int frameworksOnTheMaster() throws Exception {
        return Json.mapper().readTree(send(mesos.masterUri().resolve("/master/state")).body()).path("frameworks").size();
    }

    private List<JsonNode> dynos() throws Exception {
        return TestHttp.list(URI.create(api + "/apps/hello/dynos"));
    }

    private HttpResponse<String> get() throws Exception {
        return TestHttp.viaRouter(router.port(), "hello.localhost");
    }

    /** A GET, with the framework's credential where it goes to mesos-local. */
    private HttpResponse<String> send(URI uri) throws Exception {
        return uri.getPort() == mesos.masterUri().getPort() ? TestHttp.get(uri, CREDENTIAL.basicAuthorization())
                : TestHttp.get(uri);
    }
}
