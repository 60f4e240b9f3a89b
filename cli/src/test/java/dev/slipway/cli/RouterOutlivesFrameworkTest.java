package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.mesoslocal.agent.AgentCheckpoint;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data plane outlives the control plane: {@code slipway up --recover} runs in a JVM of its own,
 * is killed with SIGKILL while requests go through the router, and not one request fails, nor while
 * the next {@code up} starts and takes the router back.
 */
class RouterOutlivesFrameworkTest {
    private static final Pattern ROUTER = Pattern.compile("router on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;
    final List<Up> ups = new ArrayList<>();

    @Test
    void killingTheFrameworkUnderLoadFailsNoRequestAndTheNextUpTakesTheRouterBack() throws Exception {
        List<String> args = List.of("--data-dir", dir.resolve("data").toString(), "--recover", "--builds", "host",
                "--zk-port", freePort(), "--master-port", freePort(), "--agent-port", freePort(),
                "--api-port", freePort(), "--router-port", "0",
                "--executor-jar", EndToEndTest.EXECUTOR_JAR.toString(), "--buildpacks-dir", EndToEndTest.BUILDPACKS.toString());
        Up first = Up.start(dir.resolve("up-1.log"), args, ups);
        String api = "http://127.0.0.1:" + args.get(args.indexOf("--api-port") + 1);
        assertThat(Cli.run(api, "apps:create", "hello").exitCode()).isZero();
        Cli.Result deployed = Cli.run(api, "deploy", EndToEndTest.EXAMPLE.toString(), "-a", "hello");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        int routerPort = first.routerPort();
        long routerPid = router().orElseThrow().pid();

        try (RouterLoad load = RouterLoad.start(routerPort, "hello.localhost")) {
            load.awaitMore(100);
            first.kill();
            // The framework, ZooKeeper and mesos-local are gone; the router and the instance are not.
            load.awaitMore(500);
            assertThat(ProcessHandle.of(routerPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            Up second = Up.start(dir.resolve("up-2.log"), args, ups);
            assertThat(second.output()).contains("Router (pid " + routerPid + ") left running by an earlier "
                    + "`slipway up`: taken back");
            assertThat(second.routerPort()).isEqualTo(routerPort);
            load.awaitMore(200);
            assertThat(load.failures()).as("requests that failed through the router").isEmpty();
        }
        // The router taken back follows what the new framework writes: a new app is known at once.
        assertThat(TestHttp.viaRouter(routerPort, "world.localhost").statusCode()).isEqualTo(404);
        assertThat(Cli.run(api, "apps:create", "world").exitCode()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> TestHttp.viaRouter(routerPort, "world.localhost").statusCode() == 503);

        ups.get(1).stop();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> ProcessHandle.of(routerPid).map(p -> !p.isAlive()).orElse(true));
    }

    @AfterEach
    void stopWhatIsLeft() {
        ups.forEach(Up::kill);
        router().ifPresent(ProcessHandle::destroyForcibly);
        // With recovery, the instances outlive `up`: end them here.
        AgentCheckpoint checkpoint = AgentCheckpoint.read(dir.resolve("data").resolve("mesos"));
        if (checkpoint != null) {
            for (AgentCheckpoint.ExecutorCheckpoint executor : checkpoint.executors()) {
                ProcessHandle.of(executor.pid()).ifPresent(process -> {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                });
            }
        }
    }

    /** The router named by the pid file in the data directory, when it runs. */
    private Optional<ProcessHandle> router() {
        Path pidFile = dir.resolve("data").resolve("router").resolve("router.pid");
        return RouterPidFile.read(pidFile).flatMap(file -> file.process(pidFile));
    }

    /** {@code slipway up} in a JVM of its own (this one's java and classpath), its output in a file. */
    private record Up(Process process, Path log) {
        static Up start(Path log, List<String> args, List<Up> started) throws Exception {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(arg -> arg.startsWith("-Dcom.google.protobuf")).forEach(command::add);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), RouterChild.MAIN_CLASS, "up"));
            command.addAll(args);
            Up up = new Up(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
            started.add(up);
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(up.process.isAlive()).as("slipway up is running; its output:\n%s", up.output()).isTrue();
                        return up.output().contains("Slipway is up");
                    });
            return up;
        }

        String output() throws Exception {
            return Files.readString(log);
        }

        int routerPort() throws Exception {
            Matcher matcher = ROUTER.matcher(output());
            assertThat(matcher.find()).as(output()).isTrue();
            return Integer.parseInt(matcher.group(1));
        }

        /** SIGKILL: no shutdown hook runs. */
        void kill() {
            process.destroyForcibly();
            process.onExit().join();
        }

        /** SIGTERM: a clean stop. */
        void stop() {
            process.destroy();
            process.onExit().join();
        }
    }

    private static String freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return String.valueOf(socket.getLocalPort());
        }
    }
}
