package dev.slipway.executor.process;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.HostConfig;
import dev.slipway.executor.process.AppOutput.Channel;
import dev.slipway.docker.HostTrust;
import dev.slipway.executor.task.TaskSpec;
import dev.slipway.executor.testing.LoopbackPorts;
import dev.slipway.executor.testing.TaskSpecBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances in containers of the stack image, on the real Docker engine. */
class DockerProcessRunnerTest extends ContainerTestBase {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A web app in Node: answers every request with "hi $DYNO". */
    private static final String NODE_SERVER = """
            require('http').createServer((q, r) => r.end('hi ' + process.env.DYNO))
              .listen(process.env.PORT, '0.0.0.0', () => console.log('listening on ' + process.env.PORT));
            """;
    /** The same in Java, compiled into the slug and run as {@code java -cp /app Hello}. */
    private static final String JAVA_SERVER = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;

            public class Hello {
                public static void main(String[] args) throws Exception {
                    int port = Integer.parseInt(System.getenv("PORT"));
                    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
                    server.createContext("/", exchange -> {
                        byte[] body = ("hello from " + System.getenv("DYNO")).getBytes();
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    server.start();
                    System.out.println("listening on " + port);
                }
            }
            """;

    @TempDir
    Path sandbox;
    private Path appDir;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private DockerProcessRunner runner;
    private int taskCount;

    @BeforeEach
    void slugAndRunner() throws IOException {
        appDir = Files.createDirectories(sandbox.resolve("app"));
        runner = new DockerProcessRunner(docker, (dyno, channel, line) ->
                (channel == Channel.STDOUT ? stdout : stderr).add(dyno + ": " + line), frameworkId, "127.0.0.1",
                HostFirewall.ofThisMachine());
    }

    // --- scenario ---

    private TaskSpecBuilder aContainerWorker() {
        return aWorker().image(image);
    }

    private TaskSpecBuilder aContainerWebApp(int port) {
        return aWebInstance(port, 60).image(image);
    }

    private Instance instance(TaskSpec spec) {
        taskCount++;
        return new Instance(spec.app() + "." + spec.dyno() + ".v" + spec.release() + "." + taskCount
                + UUID.randomUUID().toString().substring(0, 8), spec, appDir);
    }

    private RunningProcess start(Instance instance) throws IOException {
        return runner.start(instance);
    }

    private RunningProcess start(TaskSpec spec) throws IOException {
        return start(instance(spec));
    }

    private void awaitLine(String line) {
        await().atMost(WAIT).until(() -> stdout.contains(line));
    }

    private List<Container> containersOf(String taskId) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerProcessRunner.LABEL_TASK_ID, taskId)).exec();
    }

    private InspectContainerResponse inspect(Instance instance) {
        return docker.inspectContainerCmd(DockerProcessRunner.containerName(instance)).exec();
    }

    // --- running ---

    @Test
    void aNodeWebAppAnswersOnItsPortFromItsContainer() throws Exception {
        int port = LoopbackPorts.free();
        Files.writeString(appDir.resolve("server.js"), NODE_SERVER);

        RunningProcess process = start(aContainerWebApp(port).command("node server.js").build());

        assertThat(process.name()).startsWith("container slipway-hello-web.1-");
        await().atMost(WAIT).ignoreExceptions().until(() -> get(port).equals("hi web.1"));
        assertThat(stdout).contains("web.1: listening on " + port);
    }

    @Test
    void aJavaWebAppStartsOnTheReadOnlyRootFilesystem() throws Exception {
        int port = LoopbackPorts.free();
        Path source = Files.writeString(appDir.resolve("Hello.java"), JAVA_SERVER);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17",
                "-d", appDir.toString(), source.toString())).isZero();

        start(aContainerWebApp(port).command("java -cp /app Hello").memMb(256).build());

        await().atMost(WAIT).ignoreExceptions().until(() -> get(port).equals("hello from web.1"));
        assertThat(stderr).noneMatch(line -> line.contains("Read-only file system"));
    }

    @Test
    void runsTheCommandAsThePlainRunnerDoesAsTheStacksUser() throws Exception {
        Files.createDirectories(appDir.resolve(".profile.d"));
        Files.writeString(appDir.resolve(".profile.d/runtime.sh"), "export GREETING=hello\n");

        int port = LoopbackPorts.free();
        RunningProcess process = start(aContainerWebApp(port).env("SECRET_KEY", "s3").command(
                "echo \"$GREETING port=$PORT dyno=$DYNO home=$HOME cwd=$(pwd) user=$(id -u):$(id -g) key=$SECRET_KEY\"; "
                        + "touch /app/written /tmp/written && echo writable; touch /usr/x 2>/dev/null || echo read-only")
                .build());

        assertThat(process.onExit().get(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(0));
        assertThat(stdout).containsExactly(
                "web.1: hello port=" + port + " dyno=web.1 home=/app cwd=/app user=1000:1000 key=s3",
                "web.1: writable",
                "web.1: read-only");
        assertThat(Files.getAttribute(appDir.resolve("written"), "unix:uid")).isEqualTo(1000);
    }

    @Test
    void theEnvironmentHoldsNothingOfTheExecutorsOrTheHostsButWhereItsCaFilesAre() throws Exception {
        int port = LoopbackPorts.free();
        Instance instance = instance(aContainerWebApp(port).env("DATABASE_URL", "postgres://db").build());
        start(instance);

        List<String> imageEnv = List.of(docker.inspectImageCmd(image).exec().getConfig().getEnv());
        List<String> expected = new ArrayList<>(imageEnv);
        expected.addAll(List.of("DATABASE_URL=postgres://db", "DYNO=web.1", "HOME=/app", "PORT=" + port,
                "TINI_KILL_PROCESS_GROUP=1"));
        HostTrust.ofThisMachine().variables().forEach((name, value) -> expected.add(name + "=" + value));
        assertThat(inspect(instance).getConfig().getEnv()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theMachinesCaBundlesAreMountedReadOnlyWhereTheyAre() throws Exception {
        Path bundle = Path.of("/etc/ssl/certs/ca-certificates.crt");
        assumeTrue(Files.isRegularFile(bundle), "no CA bundle on this machine");
        Instance instance = instance(aContainerWorker().command("exec sleep 300").build());
        start(instance);

        assertThat(inspect(instance).getHostConfig().getBinds()).anySatisfy(bind -> {
            assertThat(bind.getPath()).isEqualTo(bundle.toString());
            assertThat(bind.getVolume().getPath()).isEqualTo(bundle.toString());
            assertThat(bind.getAccessMode()).isEqualTo(AccessMode.ro);
        });
    }

    @Test
    void theContainerIsNamedAndLabelledForOperators() throws Exception {
        Instance instance = new Instance("hello.web.2.v3.1a2b3c4d5e6f", aContainerWebApp(LoopbackPorts.free())
                .index(2).build(), appDir);
        start(instance);

        InspectContainerResponse container = inspect(instance);
        assertThat(container.getName()).isEqualTo("/slipway-hello-web.2-3c4d5e6f");
        assertThat(container.getConfig().getLabels()).containsAllEntriesOf(Map.of(
                "dev.slipway.app", "hello",
                "dev.slipway.process", "web",
                "dev.slipway.dyno", "web.2",
                "dev.slipway.release", "3",
                "dev.slipway.task-id", "hello.web.2.v3.1a2b3c4d5e6f",
                "dev.slipway.framework", frameworkId));
        assertThat(docker.listContainersCmd().withLabelFilter(Map.of("dev.slipway.app", "hello",
                "dev.slipway.framework", frameworkId)).exec()).extracting(c -> c.getNames()[0])
                .containsExactly("/slipway-hello-web.2-3c4d5e6f");
    }

    @Test
    void theTasksLimitsAndTheConfinementAreApplied() throws Exception {
        Instance instance = instance(aContainerWorker().memMb(128).cpus(0.5).build());
        start(instance);

        InspectContainerResponse container = inspect(instance);
        HostConfig host = container.getHostConfig();
        assertThat(host.getMemory()).isEqualTo(128L * 1024 * 1024);
        assertThat(host.getMemorySwap()).isEqualTo(128L * 1024 * 1024);
        assertThat(host.getCpuShares()).isEqualTo(512);
        assertThat(host.getPidsLimit()).isEqualTo(DockerProcessRunner.PIDS_LIMIT);
        assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(host.getCapAdd()).isNullOrEmpty();
        assertThat(host.getPrivileged()).isFalse();
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getTmpFs()).containsOnlyKeys("/tmp");
        assertThat(host.getInit()).isTrue();
        assertThat(host.getNetworkMode()).isEqualTo(docker.inspectNetworkCmd()
                .withNetworkId(InstanceNetwork.NAME).exec().getId());
        List<String> binds = new ArrayList<>(List.of(appDir + ":/app:rw"));
        HostTrust.ofThisMachine().files().forEach(file -> binds.add(file + ":" + file + ":ro"));
        assertThat(host.getBinds()).extracting(b -> b.getPath() + ":" + b.getVolume().getPath() + ":" + b.getAccessMode())
                .as("the slug read-write, the CA bundles read-only, nothing else").containsExactlyElementsOf(binds);
        assertThat(container.getConfig().getUser()).isEqualTo("1000:1000");
    }

    @Test
    void theInstanceRunsOnTheInstancesNetworkWithItsPortPublishedOnLoopbackAtTheSameNumber() throws Exception {
        int port = LoopbackPorts.free();
        Instance instance = instance(aContainerWebApp(port).command("exec sleep 300").build());
        start(instance);

        InspectContainerResponse container = inspect(instance);
        assertThat(container.getNetworkSettings().getNetworks()).containsOnlyKeys(InstanceNetwork.NAME);
        assertThat(container.getHostConfig().getPortBindings().getBindings())
                .containsOnlyKeys(ExposedPort.tcp(port))
                .extractingByKey(ExposedPort.tcp(port)).satisfies(bindings -> assertThat(bindings)
                        .extracting(Ports.Binding::getHostIp, Ports.Binding::getHostPortSpec)
                        .containsExactly(tuple("127.0.0.1", Integer.toString(port))));
    }

    @Test
    void aWorkerWithoutAPortPublishesNothing() throws Exception {
        Instance instance = instance(aContainerWorker().command("exec sleep 300").build());
        start(instance);

        Ports published = inspect(instance).getHostConfig().getPortBindings();
        assertThat(published == null ? Map.of() : published.getBindings()).isEmpty();
    }

    @Test
    void portsArePublishedOnLoopbackForAnAgentOnLoopbackAndOnEveryAddressOtherwise() {
        assertThat(DockerProcessRunner.publishIpFor("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(DockerProcessRunner.publishIpFor("localhost")).isEqualTo("127.0.0.1");
        assertThat(DockerProcessRunner.publishIpFor("[::1]")).isEqualTo("127.0.0.1");
        assertThat(DockerProcessRunner.publishIpFor("10.0.0.5")).isEqualTo("0.0.0.0");
        assertThat(DockerProcessRunner.publishIpFor("agent-1.example.com")).isEqualTo("0.0.0.0");
    }

    @Test
    void aTaskWithoutLimitsRunsWithoutMemoryOrCpuLimits() throws Exception {
        Instance instance = instance(aContainerWorker().build());
        start(instance);

        HostConfig host = inspect(instance).getHostConfig();
        assertThat(host.getMemory()).isZero();
        assertThat(host.getCpuShares()).isIn(null, 0);
        assertThat(host.getPidsLimit()).isEqualTo(DockerProcessRunner.PIDS_LIMIT);
    }

    @Test
    void outputLinesReachAppOutputSplitAndApart() throws Exception {
        RunningProcess process = start(aContainerWorker()
                .command("printf 'one\\ntwo\\nthr'; sleep 0.2; echo ee; echo oops >&2; printf 'no newline'").build());

        process.onExit().get(30, TimeUnit.SECONDS);
        assertThat(stdout).containsExactly("worker.1: one", "worker.1: two", "worker.1: three", "worker.1: no newline");
        assertThat(stderr).containsExactly("worker.1: oops");
    }

    // --- ending ---

    @Test
    void theExitCodeIsReportedAndTheContainerRemovedOnceItIsRead() throws Exception {
        Instance instance = instance(aContainerWorker().command("exit 7").build());

        ExitStatus status = start(instance).onExit().get(30, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(new ExitStatus(7));
        assertThat(status.describe()).isEqualTo("exited with code 7");
        assertThat(containersOf(instance.taskId())).isEmpty();
    }

    @Test
    void anAppOverItsMemoryLimitIsReportedOutOfMemory() throws Exception {
        Instance instance = instance(aContainerWorker().memMb(64).command("node -e \""
                + "const held = []; setInterval(() => held.push(Buffer.alloc(8 * 1024 * 1024, 1)), 20)\"").build());

        ExitStatus status = start(instance).onExit().get(60, TimeUnit.SECONDS);

        assertThat(status.outOfMemory()).isTrue();
        assertThat(status.code()).isEqualTo(137);
        assertThat(status.describe()).isEqualTo("exited 137: out of memory (limit 64 MB)");
        assertThat(containersOf(instance.taskId())).isEmpty();
    }

    @Test
    void terminateLetsAnAppThatHandlesTermExitCleanly() throws Exception {
        RunningProcess process = start(aContainerWorker()
                .command("trap 'sleep 1; echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done")
                .build());
        awaitLine("worker.1: ready");

        long before = System.nanoTime();
        process.terminate(Duration.ofSeconds(20));
        ExitStatus status = process.onExit().get(30, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(new ExitStatus(0));
        assertThat(Duration.ofNanos(System.nanoTime() - before))
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(15));
        assertThat(stdout).contains("worker.1: got TERM");
    }

    @Test
    void terminateKillsAnAppThatIgnoresTermAfterTheGraceAndASecondCallNeverPostponesIt() throws Exception {
        RunningProcess process = start(aContainerWorker()
                .command("trap '' TERM; echo ready; while true; do sleep 0.1; done").build());
        awaitLine("worker.1: ready");

        long before = System.nanoTime();
        process.terminate(Duration.ofSeconds(1));
        process.terminate(Duration.ofSeconds(60));
        ExitStatus status = process.onExit().get(30, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - before))
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(15));
        assertThat(status).isEqualTo(new ExitStatus(137));
        assertThat(status.describe()).isEqualTo("killed by signal 9");
    }

    @Test
    void terminateReachesTheAppsChildrenToo() throws Exception {
        // The main process waits for its child once it got TERM itself: without the signal the
        // child would run on until the SIGKILL.
        RunningProcess process = start(aContainerWorker().command(
                "(trap 'echo child got TERM; exit 0' TERM; while true; do sleep 0.1; done) & "
                        + "trap 'echo main got TERM' TERM; echo ready; wait; wait")
                .build());
        awaitLine("worker.1: ready");

        process.terminate(Duration.ofSeconds(20));

        assertThat(process.onExit().get(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(0));
        assertThat(stdout).contains("worker.1: main got TERM", "worker.1: child got TERM");
    }

    @Test
    void killStopsTheContainerAtOnce() throws Exception {
        RunningProcess process = start(aContainerWorker()
                .command("trap '' TERM; echo ready; while true; do sleep 0.1; done").build());
        awaitLine("worker.1: ready");

        process.kill();

        assertThat(process.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(137));
    }

    @Test
    void aDockerKillFromOutsideIsNoticed() throws Exception {
        Instance instance = instance(aContainerWorker().command("echo ready; exec sleep 300").build());
        RunningProcess process = start(instance);
        awaitLine("worker.1: ready");

        docker.killContainerCmd(DockerProcessRunner.containerName(instance)).exec();

        assertThat(process.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(137));
        assertThat(containersOf(instance.taskId())).isEmpty();
    }

    // --- commands beside the app (health checks) ---

    @Test
    void execRunsACommandInTheAppsContainerAsTheAppRuns() throws Exception {
        int port = LoopbackPorts.free();
        RunningProcess process = start(aContainerWebApp(port).env("SECRET_KEY", "s3")
                .command("echo up > /tmp/app-was-here; echo ready; exec sleep 300").build());
        awaitLine("web.1: ready");

        assertThat(process.exec("test \"$DYNO $PORT $SECRET_KEY $HOME $(pwd) $(id -u)\" = 'web.1 " + port + " s3 /app /app 1000'"
                + " && test -f /tmp/app-was-here", Duration.ofSeconds(10))).isEqualTo(new ExitStatus(0));
        assertThat(process.exec("exit 3", Duration.ofSeconds(10))).isEqualTo(new ExitStatus(3));
    }

    @Test
    void execOfACommandThatHangsTimesOutAndTheCommandIsKilled() throws Exception {
        RunningProcess process = start(aContainerWorker().command("echo ready; exec sleep 300").build());
        awaitLine("worker.1: ready");
        long before = System.nanoTime();

        assertThatThrownBy(() -> process.exec("echo $$ > /tmp/check.pid; exec sleep 300", Duration.ofMillis(500)))
                .isInstanceOf(TimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("stopped by timeout(1) in the container, not by "
                + "giving up on it").isLessThan(Duration.ofSeconds(3));
        await().atMost(WAIT).until(() -> process.exec("! kill -0 \"$(cat /tmp/check.pid)\" 2>/dev/null",
                Duration.ofSeconds(10)).success());
        assertThat(process.onExit()).isNotDone();
    }

    @Test
    void execInAContainerThatHasEndedFails() throws Exception {
        RunningProcess process = start(aContainerWorker().command("exit 0").build());
        process.onExit().get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> process.exec("true", Duration.ofSeconds(5))).isInstanceOf(IOException.class)
                .hasMessageContaining("is not running");
    }

    // --- recovery ---

    @Test
    void aSecondStartOfTheSameTaskReattachesWithoutASecondContainer() throws Exception {
        Instance instance = instance(aContainerWorker().command("echo ready; exec sleep 300").build());
        RunningProcess first = start(instance);
        awaitLine("worker.1: ready");

        RunningProcess second = start(instance);

        assertThat(second.name()).isEqualTo(first.name());
        assertThat(containersOf(instance.taskId())).hasSize(1);
        assertThat(second.onExit()).isNotDone();
        second.kill();
        assertThat(second.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(137));
        assertThat(first.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(137));
        assertThat(stdout).as("earlier output is not delivered again").containsOnlyOnce("worker.1: ready");
        assertThat(containersOf(instance.taskId())).isEmpty();
    }

    @Test
    void aContainerThatEndedWhileNoOneWatchedIsReportedAsEndedAndRemoved() throws Exception {
        Instance instance = instance(aContainerWorker().command("exit 3").build());
        String id = docker.createContainerCmd(image)
                .withName(DockerProcessRunner.containerName(instance))
                .withLabels(DockerProcessRunner.labels(instance, frameworkId))
                .withCmd("bash", "-c", "exit 3")
                .exec().getId();
        docker.startContainerCmd(id).exec();
        docker.waitContainerCmd(id).start().awaitStatusCode(30, TimeUnit.SECONDS);

        ExitStatus status = start(instance).onExit().get(30, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(new ExitStatus(3));
        assertThat(containersOf(instance.taskId())).isEmpty();
    }

    @Test
    void orphansOfTheFrameworkAreRemovedAndLiveTasksKept() throws Exception {
        Instance live = instance(aContainerWorker().command("exec sleep 300").build());
        Instance orphan = instance(aContainerWorker().index(2).command("exec sleep 300").build());
        RunningProcess liveProcess = start(live);
        RunningProcess orphanProcess = start(orphan);

        List<String> removed = runner.removeOrphans(Set.of(live.taskId()), Instant.now());

        assertThat(removed).containsExactly(DockerProcessRunner.containerName(orphan));
        assertThat(orphanProcess.onExit().get(10, TimeUnit.SECONDS).code()).isEqualTo(137);
        assertThat(containersOf(orphan.taskId())).isEmpty();
        assertThat(containersOf(live.taskId())).extracting(Container::getState).containsExactly("running");
        assertThat(liveProcess.onExit()).isNotDone();
    }

    @Test
    void aTaskLaunchedAfterTheListOfLiveTasksWasMadeIsNotAnOrphan() throws Exception {
        Instant listMade = Instant.now();
        Instance earlier = instance(aContainerWorker().command("exec sleep 300")
                .launchedAtMs(listMade.minusSeconds(1).toEpochMilli()).build());
        Instance later = instance(aContainerWorker().index(2).command("exec sleep 300")
                .launchedAtMs(listMade.toEpochMilli()).build());
        start(earlier);
        RunningProcess laterProcess = start(later);

        List<String> removed = runner.removeOrphans(Set.of(), listMade);

        assertThat(removed).containsExactly(DockerProcessRunner.containerName(earlier));
        assertThat(containersOf(later.taskId())).extracting(Container::getState).containsExactly("running");
        assertThat(containersOf(later.taskId()).get(0).getLabels())
                .containsEntry(DockerProcessRunner.LABEL_LAUNCHED_AT, Long.toString(listMade.toEpochMilli()));
        assertThat(laterProcess.onExit()).isNotDone();
    }

    @Test
    void theContainerOfAnEndedTaskIsRemovedBeforeTheNextInstanceStarts() throws Exception {
        Instance ended = instance(aContainerWorker().command("exec sleep 300").build());
        Instance other = instance(aContainerWorker().index(2).command("exec sleep 300").build());
        start(ended);
        start(other);

        Instance next = instance(aContainerWorker().command("exec sleep 300").endedTaskIds(ended.taskId()).build());
        start(next);

        assertThat(containersOf(ended.taskId())).isEmpty();
        assertThat(containersOf(other.taskId())).extracting(Container::getState).containsExactly("running");
        assertThat(containersOf(next.taskId())).extracting(Container::getState).containsExactly("running");
    }

    @Test
    void aMissingImageFailsTheStartWithAClearMessage() {
        Instance instance = instance(aWorker().image("slipway/no-such-image:0").build());

        assertThatThrownBy(() -> start(instance)).isInstanceOf(IOException.class)
                .hasMessage("the Docker engine has no image slipway/no-such-image:0 (make it with stack/build)");
        assertThat(containersOf(instance.taskId())).isEmpty();
    }

    @Test
    void refusesToStartWithoutTheSlug() {
        Instance instance = new Instance("hello.worker.1.v3.x", aContainerWorker().build(), sandbox.resolve("missing"));

        assertThatThrownBy(() -> start(instance)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a directory");
    }

    private static String get(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

}
