package dev.slipway.executor;

import dev.slipway.executor.testing.LoopbackPorts;

import static dev.slipway.executor.testing.HealthSpecBuilder.aCommandCheck;
import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.google.protobuf.ByteString;
import dev.slipway.docker.DockerEngine;
import dev.slipway.executor.process.DockerProcessRunner;
import dev.slipway.executor.task.TaskSpec;
import dev.slipway.executor.testing.DockerAvailable;
import dev.slipway.executor.testing.TestScheduler;
import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.mesoslocal.MesosLocalFlags;
import dev.slipway.mesoslocal.auth.Authentication;
import dev.slipway.mesos.Credential;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real executor, as the framework launches it, on a real single-node Mesos (mesos-local): a
 * scheduler accepts an offer with a LAUNCH whose executor is {@code java ... dev.slipway.executor.Main},
 * fetching a slug by URI, and sees the task's updates, acknowledging every one. The agent
 * authenticates executors (the executor sends the token it was given) and the master the scheduler.
 */
class ExecutorOnMesosLocalTest {
    /** A web app as a slug would hold it: answers every connection with "hello", on $PORT. */
    private static final String SERVER_JAVA = """
            import java.io.OutputStream;
            import java.net.InetAddress;
            import java.net.ServerSocket;
            import java.net.Socket;
            import java.nio.charset.StandardCharsets;

            public class Server {
                public static void main(String[] args) throws Exception {
                    int port = Integer.parseInt(System.getenv("PORT"));
                    // Every address: in a container, only what listens beyond its loopback is published.
                    try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName("0.0.0.0"))) {
                        System.out.println("listening on " + port + " as " + System.getenv("DYNO")
                                + " pid " + ProcessHandle.current().pid());
                        while (true) {
                            try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                                out.write(("HTTP/1.1 200 OK\\r\\nContent-Length: 6\\r\\nConnection: close\\r\\n\\r\\n"
                                        + "hello\\n").getBytes(StandardCharsets.US_ASCII));
                            }
                        }
                    }
                }
            }
            """;

    /**
     * A web app whose {@code /health} answers 200 twice, then 500 for good: healthy at first, then
     * not any more.
     */
    private static final String HEALTH_JAVA = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetAddress;
            import java.net.InetSocketAddress;
            import java.util.concurrent.atomic.AtomicInteger;

            public class Health {
                public static void main(String[] args) throws Exception {
                    int port = Integer.parseInt(System.getenv("PORT"));
                    AtomicInteger checks = new AtomicInteger();
                    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                    server.createContext("/health", exchange -> {
                        int status = checks.incrementAndGet() <= 2 ? 200 : 500;
                        System.out.println("GET /health from " + exchange.getRequestHeaders().getFirst("Host")
                                + ": " + status);
                        exchange.sendResponseHeaders(status, -1);
                        exchange.close();
                    });
                    server.start();
                    System.out.println("listening on " + port + " pid " + ProcessHandle.current().pid());
                }
            }
            """;

    private static final Credential CREDENTIAL = new Credential("slipway", "a secret for this test");
    @TempDir
    Path workDir;
    @TempDir
    Path files;
    private int port;
    private MesosLocal mesos;
    private TestScheduler scheduler;
    private URI slug;

    @BeforeEach
    void startMesosAndBuildTheSlug() throws Exception {
        port = LoopbackPorts.free();
        mesos = MesosLocal.start(new MesosLocalConfig("127.0.0.1", 0, 0, workDir, 2, 2048, 4096, port, port,
                "127.0.0.1"), MesosLocalFlags.defaults().withAuthentication(Authentication.required(
                        List.of(CREDENTIAL), "an executor secret key, 32 bytes".getBytes(StandardCharsets.UTF_8))));
        Path app = Files.createDirectories(files.resolve("slug/app/.profile.d"));
        Files.writeString(app.resolve("java.sh"),
                "export PATH=\"" + Path.of(System.getProperty("java.home"), "bin") + ":$PATH\"\n");
        Files.writeString(files.resolve("slug/app/Server.java"), SERVER_JAVA);
        Files.writeString(files.resolve("slug/app/Health.java"), HEALTH_JAVA);
        Files.writeString(files.resolve("slug/app/healthy"), "a command check looks for this file\n");
        Path tgz = files.resolve("slug.tgz");
        Process tar = new ProcessBuilder("tar", "-C", files.resolve("slug").toString(), "-czf", tgz.toString(),
                "./app").inheritIO().start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
        slug = tgz.toUri();
    }

    @AfterEach
    void stop() throws IOException {
        if (scheduler != null) {
            scheduler.close();
        }
        mesos.close();
    }

    private Offer subscribeAndAwaitOffer(boolean killingState) throws Exception {
        scheduler = new TestScheduler(mesos.masterUri(), CREDENTIAL.basicAuthorization()).subscribe(TestScheduler.frameworkInfo(killingState));
        return scheduler.awaitOffer();
    }

    @Test
    void aWebAppIsStartingRunningThenHealthyAndAKillEndsItAndItsProcess() throws Exception {
        Offer offer = subscribeAndAwaitOffer(true);
        String taskId = "hello.web.1.v3.e2e";
        // TaskInfo.data exactly as docs/internals.md describes it.
        String spec = """
                {
                  "app": "hello", "process": "web", "index": 1, "release": 3,
                  "command": "java Server.java",
                  "env": {"PORT": "%1$d", "DYNO": "web.1"},
                  "port": %1$d,
                  "health": {"type": "tcp", "boot_timeout_seconds": 60},
                  "kill_grace_seconds": 10
                }
                """.formatted(port);

        scheduler.launch(offer, task(offer, taskId, ByteString.copyFromUtf8(spec), true));

        TaskStatus starting = scheduler.awaitUpdate(taskId, TaskState.TASK_STARTING);
        assertThat(starting.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(starting.getExecutorId().getValue()).isEqualTo(taskId);
        assertThat(starting.getAgentId()).isEqualTo(offer.getAgentId());
        assertThat(starting.getUuid().size()).isEqualTo(16);
        TaskStatus healthy = scheduler.awaitEvent(e -> e.hasUpdate() && e.getUpdate().getStatus().getHealthy())
                .getUpdate().getStatus();
        assertThat(healthy.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(healthy.getMessage()).isEqualTo("listening on port " + port);
        assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState, s -> s.hasHealthy() && s.getHealthy())
                .startsWith(tuple(TaskState.TASK_STARTING, false),
                        tuple(TaskState.TASK_RUNNING, false),
                        tuple(TaskState.TASK_RUNNING, true));
        assertThat(scheduler.updates(taskId).get(1).hasHealthy()).isFalse();
        assertThat(get(URI.create("http://127.0.0.1:" + port + "/"))).isEqualTo("hello\n");
        Path stdout = sandbox(offer, taskId).resolve("stdout");
        await().atMost(TestScheduler.WAIT).until(() -> appLine(stdout, "listening on ") != null);
        Matcher listening = Pattern.compile("app\\[web\\.1]: listening on (\\d+) as web\\.1 pid (\\d+)$")
                .matcher(appLine(stdout, "listening on "));
        assertThat(listening.find()).isTrue();
        assertThat(Integer.parseInt(listening.group(1))).isEqualTo(port);
        long pid = Long.parseLong(listening.group(2));

        scheduler.kill(taskId, offer.getAgentId());

        scheduler.awaitUpdate(taskId, TaskState.TASK_KILLED);
        assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState)
                .containsSubsequence(TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_KILLED);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(scheduler.awaitExecutorExit(taskId).getStatus()).isZero();
        scheduler.awaitAcknowledging(scheduler::allAcknowledged);
    }

    @Test
    void anAppThatExitsNonZeroFailsTheTaskWithItsExitCode() throws Exception {
        Offer offer = subscribeAndAwaitOffer(true);
        String taskId = "hello.worker.1.v3.e2e";
        TaskSpec spec = aWorker().command("echo working; exit 3").build();

        scheduler.launch(offer, task(offer, taskId, ByteString.copyFrom(spec.toJson()), false));

        TaskStatus failed = scheduler.awaitUpdate(taskId, TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).isEqualTo("exited with code 3");
        assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState)
                .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
        assertThat(scheduler.awaitExecutorExit(taskId).getStatus()).isZero();
        assertThat(appLine(sandbox(offer, taskId).resolve("stdout"), "app[worker.1]: working")).isNotNull();
        scheduler.awaitAcknowledging(scheduler::allAcknowledged);
    }

    @Test
    void aWebAppThatNeverBindsItsPortFailsAfterTheBootTimeout() throws Exception {
        Offer offer = subscribeAndAwaitOffer(true);
        String taskId = "hello.web.1.v3.nobind";
        TaskSpec spec = aWebInstance(port, 1).command("echo not listening; exec sleep 30").build();

        scheduler.launch(offer, task(offer, taskId, ByteString.copyFrom(spec.toJson()), true));

        TaskStatus failed = scheduler.awaitUpdate(taskId, TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).isEqualTo("web process failed to bind to " + port + " within 1 s");
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
        assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState)
                .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
        assertThat(scheduler.awaitExecutorExit(taskId).getStatus()).isZero();
        assertThat(appLine(sandbox(offer, taskId).resolve("stdout"), "app[web.1]: not listening")).isNotNull();
        scheduler.awaitAcknowledging(scheduler::allAcknowledged);
    }

    @Test
    void aWebAppWhoseHealthEndpointStartsFailingIsReportedUnhealthyThenFailed() throws Exception {
        Offer offer = subscribeAndAwaitOffer(true);
        String taskId = "hello.web.1.v3.unhealthy";
        String spec = """
                {
                  "app": "hello", "process": "web", "index": 1, "release": 3,
                  "command": "java Health.java",
                  "port": %d,
                  "health": {"type": "http", "path": "/health", "interval_seconds": 1, "max_consecutive_failures": 3},
                  "kill_grace_seconds": 10
                }
                """.formatted(port);
        String reason = "health check failed 3 times: GET /health answered 500";

        scheduler.launch(offer, task(offer, taskId, ByteString.copyFromUtf8(spec), true));

        TaskStatus healthy = scheduler.awaitEvent(e -> e.hasUpdate() && e.getUpdate().getStatus().getHealthy())
                .getUpdate().getStatus();
        assertThat(healthy.getMessage()).isEqualTo("GET /health answered 200");
        TaskStatus failed = scheduler.awaitUpdate(taskId, TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).isEqualTo(reason);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
        assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState,
                        s -> s.hasHealthy() ? s.getHealthy() : null)
                .containsExactly(tuple(TaskState.TASK_STARTING, null), tuple(TaskState.TASK_RUNNING, null),
                        tuple(TaskState.TASK_RUNNING, true), tuple(TaskState.TASK_RUNNING, false),
                        tuple(TaskState.TASK_FAILED, null));
        TaskStatus unhealthy = scheduler.updates(taskId).get(3);
        assertThat(unhealthy.getMessage()).isEqualTo(reason);
        assertThat(unhealthy.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
        Path stdout = sandbox(offer, taskId).resolve("stdout");
        assertThat(appLine(stdout, "app[web.1]: GET /health from localhost: 500")).isNotNull();
        long pid = Long.parseLong(appLine(stdout, "app[web.1]: listening on ").replaceAll(".* pid ", ""));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(scheduler.awaitExecutorExit(taskId).getStatus()).isZero();
        scheduler.awaitAcknowledging(scheduler::allAcknowledged);
    }

    @Test
    void anInvalidTaskSpecFailsTheTask() throws Exception {
        Offer offer = subscribeAndAwaitOffer(true);
        String taskId = "hello.web.1.v3.invalid";

        scheduler.launch(offer, task(offer, taskId, ByteString.copyFromUtf8("{\"app\": \"hello\"}"), false));

        TaskStatus failed = scheduler.awaitUpdate(taskId, TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
        assertThat(failed.getMessage()).startsWith("invalid TaskSpec:");
        assertThat(scheduler.awaitExecutorExit(taskId).getStatus()).isZero();
        scheduler.awaitAcknowledging(scheduler::allAcknowledged);
    }

    @Test
    void shutdownOfTheExecutorKillsTheTask() throws Exception {
        Offer offer = subscribeAndAwaitOffer(true);
        String taskId = "hello.worker.1.v3.shutdown";
        scheduler.launch(offer, task(offer, taskId,
                ByteString.copyFrom(aWorker().command("exec sleep 30").build().toJson()), false));
        scheduler.awaitUpdate(taskId, TaskState.TASK_RUNNING);

        scheduler.shutdown(taskId, offer.getAgentId());

        scheduler.awaitUpdate(taskId, TaskState.TASK_KILLED);
        assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState)
                .containsSubsequence(TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_KILLED);
        scheduler.awaitExecutorExit(taskId);
        scheduler.awaitAcknowledging(scheduler::allAcknowledged);
    }

    @Test
    void aFrameworkWithoutTheKillingCapabilityGetsNoTaskKilling() throws Exception {
        Offer offer = subscribeAndAwaitOffer(false);
        String taskId = "hello.worker.1.v3.nokilling";
        scheduler.launch(offer, task(offer, taskId,
                ByteString.copyFrom(aWorker().command("exec sleep 30").build().toJson()), false));
        scheduler.awaitUpdate(taskId, TaskState.TASK_RUNNING);

        scheduler.kill(taskId, offer.getAgentId());

        TaskStatus killed = scheduler.awaitUpdate(taskId, TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("killed: killed by signal 15");
        assertThat(scheduler.awaitExecutorExit(taskId).getStatus()).isZero();
        assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState)
                .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_KILLED);
        scheduler.awaitAcknowledging(scheduler::allAcknowledged);
    }

    @Test
    void aKillPolicysGracePeriodBoundsTheKill() throws Exception {
        Offer offer = subscribeAndAwaitOffer(true);
        String taskId = "hello.worker.1.v3.policy";
        // The worker says when it ignores SIGTERM: RUNNING comes when it starts, before its trap.
        // (In a folder the task's user, not root, may write to.)
        Path folder = Files.createTempDirectory("slipway-trap-");
        Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path trapped = folder.resolve("trapped");
        TaskSpec spec = aWorker().killGraceSeconds(30)
                .command("trap '' TERM; touch '" + trapped + "'; while true; do sleep 0.1; done").build();
        scheduler.launch(offer, task(offer, taskId, ByteString.copyFrom(spec.toJson()), false));
        scheduler.awaitUpdate(taskId, TaskState.TASK_RUNNING);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(trapped));

        scheduler.kill(taskId, offer.getAgentId(), Duration.ofMillis(300));

        TaskStatus killed = scheduler.awaitUpdate(taskId, TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("killed: killed by signal 9");
        assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState)
                .containsSubsequence(TaskState.TASK_KILLING, TaskState.TASK_KILLED);
        scheduler.awaitAcknowledging(scheduler::allAcknowledged);
    }

    @Test
    void aTaskThatNamesAnImageRunsInALabelledContainerUntilKilled() throws Exception {
        DockerClient docker = DockerAvailable.engine();
        String taskId = "hello.web.1.v3.container";
        try {
            Offer offer = subscribeAndAwaitOffer(true);
            TaskSpec spec = aWebInstance(port, 60).image(DockerAvailable.stackImage()).memMb(256).cpus(1)
                    .command("java Server.java").build();

            scheduler.launch(offer, task(offer, taskId, ByteString.copyFrom(spec.toJson()), true));

            TaskStatus running = scheduler.awaitUpdate(taskId, TaskState.TASK_RUNNING);
            assertThat(running.getMessage()).isEqualTo("web.1 running as container slipway-hello-web.1-ontainer");
            scheduler.awaitEvent(e -> e.hasUpdate() && e.getUpdate().getStatus().getHealthy());
            // docker-proxy accepts on the published port before the app listens: its line tells.
            Path stdout = sandbox(offer, taskId).resolve("stdout");
            await().atMost(TestScheduler.WAIT).until(() -> appLine(stdout, "app[web.1]: listening on " + port) != null);
            assertThat(get(URI.create("http://127.0.0.1:" + port + "/"))).isEqualTo("hello\n");
            List<Container> containers = docker.listContainersCmd()
                    .withLabelFilter(Map.of(DockerProcessRunner.LABEL_TASK_ID, taskId)).exec();
            assertThat(containers).singleElement().satisfies(c -> assertThat(c.getLabels()).containsEntry(
                    DockerProcessRunner.LABEL_FRAMEWORK, scheduler.frameworkId().getValue()));

            scheduler.kill(taskId, offer.getAgentId());

            TaskStatus killed = scheduler.awaitUpdate(taskId, TaskState.TASK_KILLED);
            assertThat(killed.getMessage()).isEqualTo("killed: killed by signal 15");
            assertThat(docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DockerProcessRunner.LABEL_TASK_ID, taskId)).exec()).isEmpty();
            assertThat(scheduler.awaitExecutorExit(taskId).getStatus()).isZero();
            scheduler.awaitAcknowledging(scheduler::allAcknowledged);
        } finally {
            DockerAvailable.removeContainers(docker, DockerProcessRunner.LABEL_TASK_ID, taskId);
            DockerEngine.close(docker);
        }
    }

    @Test
    void aContainerInstanceWithACommandCheckIsHealthyUntilTheCommandFails() throws Exception {
        DockerClient docker = DockerAvailable.engine();
        String taskId = "hello.worker.1.v3.checked";
        try {
            Offer offer = subscribeAndAwaitOffer(true);
            TaskSpec spec = aWorker().image(DockerAvailable.stackImage()).command("echo ready; exec sleep 300")
                    .health(aCommandCheck("test \"$DYNO\" = worker.1 && test -f healthy").intervalSeconds(1)
                            .maxConsecutiveFailures(2))
                    .build();

            scheduler.launch(offer, task(offer, taskId, ByteString.copyFrom(spec.toJson()), false));

            TaskStatus healthy = scheduler.awaitEvent(e -> e.hasUpdate() && e.getUpdate().getStatus().getHealthy())
                    .getUpdate().getStatus();
            assertThat(healthy.getMessage()).isEqualTo("command exited 0");

            Files.delete(sandbox(offer, taskId).resolve("app/healthy"));

            TaskStatus failed = scheduler.awaitUpdate(taskId, TaskState.TASK_FAILED);
            assertThat(failed.getMessage()).isEqualTo("health check failed 2 times: command exited 1");
            assertThat(scheduler.updates(taskId)).extracting(TaskStatus::getState,
                            s -> s.hasHealthy() ? s.getHealthy() : null)
                    .containsExactly(tuple(TaskState.TASK_STARTING, null), tuple(TaskState.TASK_RUNNING, null),
                            tuple(TaskState.TASK_RUNNING, true), tuple(TaskState.TASK_RUNNING, false),
                            tuple(TaskState.TASK_FAILED, null));
            assertThat(docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DockerProcessRunner.LABEL_TASK_ID, taskId)).exec()).isEmpty();
            assertThat(scheduler.awaitExecutorExit(taskId).getStatus()).isZero();
            scheduler.awaitAcknowledging(scheduler::allAcknowledged);
        } finally {
            DockerAvailable.removeContainers(docker, DockerProcessRunner.LABEL_TASK_ID, taskId);
            DockerEngine.close(docker);
        }
    }

    /** The task as the framework builds it (docs/internals.md): its own executor, fetching the slug. */
    private TaskInfo task(Offer offer, String taskId, ByteString data, boolean web) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExecutorInfo executor = ExecutorInfo.newBuilder()
                .setType(ExecutorInfo.Type.CUSTOM)
                .setExecutorId(ExecutorID.newBuilder().setValue(taskId))
                .setName("slipway executor for " + taskId)
                .setCommand(CommandInfo.newBuilder().setShell(true)
                        .setValue("exec '" + java + "' -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                                + " -Dcom.google.protobuf.use_unsafe_pre22_gencode=true"
                                + " -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName())
                        .addUris(CommandInfo.URI.newBuilder().setValue(slug.toString()).setExtract(true)))
                .addResources(scalar("cpus", 0.1))
                .addResources(scalar("mem", 64))
                .build();
        TaskInfo.Builder task = TaskInfo.newBuilder()
                .setName(taskId)
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(offer.getAgentId())
                .addResources(scalar("cpus", 0.1))
                .addResources(scalar("mem", 128))
                .setExecutor(executor)
                .setData(data);
        if (web) {
            task.addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                    .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(port).setEnd(port))));
        }
        return task.build();
    }

    private Path sandbox(Offer offer, String executorId) {
        return workDir.resolve(Path.of("slaves", offer.getAgentId().getValue(), "frameworks",
                scheduler.frameworkId().getValue(), "executors", executorId, "runs", "latest"));
    }

    /** The first line of the file containing {@code text}, or null. */
    private static String appLine(Path file, String text) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        return lines.stream().filter(line -> line.contains(text)).findFirst().orElse(null);
    }

    private static String get(URI uri) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

}
