package dev.slipway.executor.health;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.executor.process.Instance;
import dev.slipway.executor.process.PlainProcessRunner;
import dev.slipway.executor.process.PortListener;
import dev.slipway.executor.process.RunningProcess;
import dev.slipway.executor.task.HealthSpec;
import dev.slipway.mesos.procfs.TcpListeners;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot check passes only on the instance's own listener (issue 12: a replacement "passed" its
 * TCP check against the orphan that still held its port, was routed, and died of EADDRINUSE).
 */
class OwnedPortProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path sandbox;
    private Path appDir;
    private RunningProcess instance;
    private final PlainProcessRunner runner = new PlainProcessRunner(Map.of("PATH", System.getenv("PATH")),
            (dyno, channel, line) -> { });

    @BeforeEach
    void slug() throws Exception {
        assumeTrue(TcpListeners.supported(), "reads the kernel's TCP tables: Linux only");
        appDir = Files.createDirectories(sandbox.resolve("app"));
    }

    @AfterEach
    void stop() {
        if (instance != null) {
            instance.kill();
        }
    }

    @Test
    void aPortHeldByAnotherProcessFailsTheTcpBootCheckAndSaysWhoHoldsIt() throws Exception {
        try (ServerSocket orphan = listen()) {
            int port = orphan.getLocalPort();
            // The instance never binds: it failed to (EADDRINUSE) or has not yet.
            instance = start(port, "sleep 600");

            ProbeResult result = Probe.of(HealthSpec.tcp(60), port, instance).check(TIMEOUT);

            assertThat(result.passed()).isFalse();
            assertThat(result.description()).isEqualTo("port " + port + " is held by another process (pid "
                    + ProcessHandle.current().pid() + "), not by this instance");
        }
    }

    @Test
    void aPortHeldByAnotherProcessFailsTheHttpBootCheckToo() throws Exception {
        try (AppServer orphan = AppServer.answering(200)) {
            instance = start(orphan.port(), "sleep 600");

            ProbeResult result = Probe.of(HealthSpec.of(HealthSpec.Type.HTTP, "/health", null), orphan.port(),
                    instance).check(TIMEOUT);

            assertThat(result.passed()).isFalse();
            assertThat(result.description()).contains("is held by another process");
        }
    }

    @Test
    void theInstancesOwnListenerPassesEvenBehindAShell() throws Exception {
        int port;
        try (ServerSocket free = listen()) {
            port = free.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Not exec'd: the listener is a child of the instance's main process, as with `cd web && npm start`.
        instance = start(port, "'" + java + "' -Xshare:auto -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' " + PortListener.class.getName() + "; true");
        Probe probe = Probe.of(HealthSpec.tcp(60), port, instance);

        await().atMost(Duration.ofSeconds(20)).until(() -> probe.check(TIMEOUT).passed());
        assertThat(probe.check(TIMEOUT).description()).isEqualTo("listening on port " + port);
    }

    private RunningProcess start(int port, String command) throws Exception {
        return runner.start(new Instance("hello.web.1.v1.test", aWebInstance(port, 60).command(command).build(),
                appDir));
    }

    private static ServerSocket listen() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }
}
