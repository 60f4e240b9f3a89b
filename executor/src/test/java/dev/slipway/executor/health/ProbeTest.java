package dev.slipway.executor.health;

import static dev.slipway.executor.testing.HealthSpecBuilder.aCommandCheck;
import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.executor.health.ProbeResult.Outcome;
import dev.slipway.executor.process.Instance;
import dev.slipway.executor.process.PlainProcessRunner;
import dev.slipway.executor.process.RunningProcess;
import dev.slipway.executor.task.HealthSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of probe against the real thing on loopback: servers, closed ports, commands. */
class ProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path sandbox;
    private RunningProcess app;

    @AfterEach
    void stopTheApp() {
        if (app != null) {
            app.kill();
        }
    }

    private static Probe http(int port, String path) {
        return Probe.of(HealthSpec.of(HealthSpec.Type.HTTP, path, null), port, null);
    }

    private static Probe tcp(int port) {
        return Probe.of(HealthSpec.tcp(60), port, null);
    }

    /** A command check beside a plain app process whose slug sets GREETING in .profile.d. */
    private Probe command(String command) throws IOException {
        Path appDir = Files.createDirectories(sandbox.resolve("app/.profile.d"));
        Files.writeString(appDir.resolve("greeting.sh"), "export GREETING=hello\n");
        PlainProcessRunner runner = new PlainProcessRunner(Map.of("PATH", System.getenv("PATH"),
                "MESOS_AGENT_ENDPOINT", "127.0.0.1:5051"), (dyno, channel, line) -> { });
        app = runner.start(new Instance("hello.web.1.v3.probe", aWebInstance(31000, 60).env("SECRET", "s3")
                .command("exec sleep 60").build(), sandbox.resolve("app")));
        return Probe.of(aCommandCheck(command).build(), 31000, app);
    }

    // --- http ---

    @Test
    void anHttpCheckPassesOn200To399AndFailsOnAnythingElse() throws IOException {
        try (AppServer server = AppServer.answering(200)) {
            Probe probe = http(server.port(), "/health");

            assertThat(probe.check(TIMEOUT)).isEqualTo(ProbeResult.passed("GET /health answered 200"));
            server.answer(302);
            assertThat(probe.check(TIMEOUT)).isEqualTo(ProbeResult.passed("GET /health answered 302"));
            server.answer(500);
            assertThat(probe.check(TIMEOUT)).isEqualTo(ProbeResult.failed("GET /health answered 500"));
            server.answer(404);
            assertThat(probe.check(TIMEOUT)).isEqualTo(ProbeResult.failed("GET /health answered 404"));
        }
    }

    @Test
    void anHttpCheckGetsItsPathWithHostLocalhost() throws IOException {
        try (AppServer server = AppServer.answering(204)) {
            http(server.port(), "/status/ready?deep=1").check(TIMEOUT);

            assertThat(server.seen()).containsExactly("GET /status/ready?deep=1 Host: localhost");
        }
    }

    @Test
    void anHttpCheckOfAServerThatHangsTimesOut() throws IOException {
        try (AppServer server = AppServer.answering(200)) {
            server.hang();
            long before = System.nanoTime();

            ProbeResult result = http(server.port(), "/health").check(Duration.ofMillis(300));

            assertThat(result).isEqualTo(ProbeResult.failed("GET /health timed out after 300 ms"));
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isBetween(Duration.ofMillis(300), TIMEOUT);
        }
    }

    @Test
    void anHttpCheckOfAClosedPortIsRefusedAndNotListening() throws IOException {
        ProbeResult result = http(AppServer.closedPort(), "/health").check(TIMEOUT);

        assertThat(result).isEqualTo(ProbeResult.notListening("GET /health: connection refused"));
    }

    @Test
    void anHttpCheckOfSomethingThatIsNotHttpFails() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread talker = new Thread(() -> {
                try (var client = server.accept()) {
                    client.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes());
                } catch (IOException e) {
                    // The probe went away first: nothing to say.
                }
            });
            talker.start();

            assertThat(http(server.getLocalPort(), "/").check(TIMEOUT))
                    .isEqualTo(ProbeResult.failed("GET /: not an HTTP answer"));
        }
    }

    // --- tcp ---

    @Test
    void aTcpCheckPassesWhenThePortAcceptsAndIsNotListeningWhenItRefuses() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(tcp(server.getLocalPort()).check(TIMEOUT))
                    .isEqualTo(ProbeResult.passed("listening on port " + server.getLocalPort()));
        }
        int closed = AppServer.closedPort();

        assertThat(tcp(closed).check(TIMEOUT))
                .isEqualTo(ProbeResult.notListening("connect to port " + closed + ": connection refused"));
    }

    // --- command ---

    @Test
    void aCommandCheckPassesOnExitZeroAndFailsOnAnyOtherExit() throws IOException {
        assertThat(command("exit 0").check(TIMEOUT)).isEqualTo(ProbeResult.passed("command exited 0"));
        assertThat(command("exit 1").check(TIMEOUT)).isEqualTo(ProbeResult.failed("command exited 1"));
        assertThat(command("kill -9 $$").check(TIMEOUT)).isEqualTo(ProbeResult.failed("command killed by signal 9"));
    }

    @Test
    void aCommandCheckRunsAsTheAppRuns() throws IOException {
        Probe probe = command("test \"$GREETING $PORT $DYNO $SECRET\" = 'hello 31000 web.1 s3' "
                + "&& test \"$(pwd)\" = \"$HOME\" && test -z \"$MESOS_AGENT_ENDPOINT\"");

        assertThat(probe.check(TIMEOUT).outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void aCommandCheckThatHangsTimesOutAndIsKilledWithWhatItStarted() throws IOException {
        Path pidFile = sandbox.resolve("sleep.pid");
        Probe probe = command("sleep 30 & echo $! > " + pidFile + "; wait");
        long before = System.nanoTime();

        ProbeResult result = probe.check(Duration.ofMillis(500));

        assertThat(result).isEqualTo(ProbeResult.failed("command timed out after 500 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(TIMEOUT);
        long sleep = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(TIMEOUT).until(() -> !ProcessHandle.of(sleep).map(ProcessHandle::isAlive).orElse(false));
        assertThat(app.onExit()).as("the app itself runs on").isNotDone();
    }
}
