package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.mesoslocal.MesosLocalFlags;
import dev.slipway.mesoslocal.auth.Authentication;
import dev.slipway.mesoslocal.agent.AgentCheckpoint;
import dev.slipway.router.HttpRouter;
import dev.slipway.router.RouterConfig;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Json;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
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
 * mesos-local restarts with recovery while an app runs: the instance keeps running, its executor
 * is taken back, the framework finds it running again, and nothing is launched twice.
 */
class MesosLocalRecoveryTest {
    @TempDir
    Path home;
    EmbeddedZooKeeper zooKeeper;
    CuratorFramework zk;
    MesosLocalConfig mesosConfig;
    // A reregistration timeout shorter than the 4 s the test watches: an executor that did not
    // subscribe again would have its task reported gone, and replaced, within the watch.
    // Authenticated as `slipway up` runs it: a recovered executor subscribes again with the token it
    // was launched with, which the restarted agent (same key) still takes.
    MesosLocalFlags flags = MesosLocalFlags.defaults().withRecovery(true)
            .withExecutorReregistrationTimeout(Duration.ofSeconds(3))
            .withAuthentication(Authentication.required(List.of(FrameworkOnMesosTest.CREDENTIAL),
                    FrameworkOnMesosTest.EXECUTOR_KEY));
    MesosLocal mesos;
    Vertx vertx;
    HttpRouter router;
    Framework framework;
    String api;

    @BeforeEach
    void start() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(home.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        zk = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), 30);
        MesosLocalConfig d = MesosLocalConfig.defaults(home.resolve("mesos"));
        // Fixed ports: the framework and the executors find mesos-local where they left it.
        mesosConfig = new MesosLocalConfig(d.host(), freePort(), freePort(), d.workDir(), d.cpus(), d.memMb(),
                d.diskMb(), d.portsBegin(), d.portsEnd(), d.hostname());
        mesos = MesosLocal.start(mesosConfig, flags);
        vertx = Vertx.vertx();
        router = HttpRouter.start(vertx, new RouterConfig("127.0.0.1", 0, "localhost", Duration.ofSeconds(5),
                Duration.ofSeconds(30)), new RouteStore(zk), java.time.Clock.systemUTC()).await(30, TimeUnit.SECONDS);
        int port = freePort();
        api = "http://127.0.0.1:" + port;
        FrameworkConfig config = new FrameworkConfig(new MesosSettings(mesos.masterUri(), "slipway", null, "*", null,
                api, null, FrameworkOnMesosTest.CREDENTIAL), "127.0.0.1", port, URI.create(api), home.resolve("framework"), EndToEndTest.EXECUTOR_JAR,
                EndToEndTest.BUILDPACKS, "localhost", router.port(), null);
        framework = Framework.start(vertx, config, zk, java.time.Clock.systemUTC()).await(30, TimeUnit.SECONDS);
        awaitSubscribed();
    }

    @AfterEach
    void stop() throws Exception {
        framework.close();
        router.close();
        mesos.close();
        // With recovery, closing mesos-local leaves executors running: end them here.
        AgentCheckpoint checkpoint = AgentCheckpoint.read(mesosConfig.workDir());
        if (checkpoint != null) {
            for (AgentCheckpoint.ExecutorCheckpoint executor : checkpoint.executors()) {
                ProcessHandle.of(executor.pid()).ifPresent(process -> {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                });
            }
        }
        vertx.close().await(10, TimeUnit.SECONDS);
        zk.close();
        zooKeeper.close();
    }

    @Test
    void aRestartedMesosLocalKeepsTheRunningInstanceWithoutLaunchingItAgain() throws Exception {
        assertThat(Cli.run(api, "apps:create", "hello").exitCode()).isZero();
        Cli.Result deployed = Cli.run(api, "deploy", EndToEndTest.EXAMPLE.toString(), "-a", "hello");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        List<String> running = runningTasks();
        assertThat(running).hasSize(1);
        String taskId = running.get(0);

        mesos.close();
        // The data plane does not need Mesos.
        assertThat(get().statusCode()).isEqualTo(200);
        mesos = MesosLocal.start(mesosConfig, flags);

        awaitSubscribed();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> runningTasks().equals(List.of(taskId)));
        // Long enough for reconciliation and several planning rounds to have happened.
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> runningTasks().equals(List.of(taskId)) && get().statusCode() == 200);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> dynos().size() == 1 && dynos().get(0).path("task_id").asText().equals(taskId)
                        && dynos().get(0).path("state").asText().equals("up"));
        assertThat(allTasks()).containsExactly(taskId);
    }

    private void awaitSubscribed() {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> send(URI.create(api + "/ready")).body().contains("\"subscribed\"")
                        && frameworkConnected());
    }

    private boolean frameworkConnected() throws Exception {
        JsonNode frameworks = state().path("frameworks");
        return frameworks.size() == 1 && frameworks.get(0).path("connected").asBoolean(true)
                && frameworks.get(0).path("active").asBoolean(true);
    }

    private List<String> runningTasks() throws Exception {
        List<String> running = new ArrayList<>();
        for (JsonNode fw : state().path("frameworks")) {
            for (JsonNode task : fw.path("tasks")) {
                if (task.path("state").asText().equals("TASK_RUNNING")) {
                    running.add(task.path("id").asText());
                }
            }
        }
        return running;
    }

    /** Every task the master knows, live or completed: a second launch would show here. */
    private List<String> allTasks() throws Exception {
        List<String> tasks = new ArrayList<>();
        for (JsonNode fw : state().path("frameworks")) {
            fw.path("tasks").forEach(task -> tasks.add(task.path("id").asText()));
            fw.path("completed_tasks").forEach(task -> tasks.add(task.path("id").asText()));
        }
        return tasks;
    }

    private JsonNode state() throws Exception {
        return Json.mapper().readTree(TestHttp.get(mesos.masterUri().resolve("/master/state"),
                FrameworkOnMesosTest.CREDENTIAL.basicAuthorization()).body());
    }

    private List<JsonNode> dynos() throws Exception {
        return TestHttp.list(URI.create(api + "/apps/hello/dynos"));
    }

    private HttpResponse<String> get() throws Exception {
        return TestHttp.viaRouter(router.port(), "hello.localhost");
    }

    private HttpResponse<String> send(URI uri) throws Exception {
        return TestHttp.get(uri);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
