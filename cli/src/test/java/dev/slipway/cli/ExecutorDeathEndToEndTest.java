package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.mesos.procfs.ProcessSockets;
import dev.slipway.mesos.procfs.TcpListeners;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, as it was found: kill -9 of an instance's executor used to leave the app running on its
 * port; the replacement "passed" its boot check against that orphan, was routed, died of
 * EADDRINUSE, and was replaced every ~6 s forever while the router flapped between 200 and 503.
 * Now the agent kills the executor's whole unit, the replacement comes up on its own listener, and
 * the app serves steadily again.
 */
class ExecutorDeathEndToEndTest {
    static final Path EXAMPLE = Path.of("../examples/procfile-hello").toAbsolutePath().normalize();
    private static final Pattern WEB_1 = Pattern.compile("web\\.1\\s+up\\s+v\\d+\\s+127\\.0\\.0\\.1:(\\d+)");

    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();

    @Test
    void killingAnExecutorTakesItsAppWithItAndAReplacementServesSteadily() throws Exception {
        assumeTrue(TcpListeners.supported(), "finds the app by its listener in /proc/net/tcp: Linux only");
        String api = slipway.api();
        assertThat(Cli.run(api, "apps:create", "doomed").exitCode()).isZero();
        Cli.Result deployed = Cli.run(api, "deploy", EXAMPLE.toString(), "-a", "doomed");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(TestHttp.viaRouter(slipway.routerPort(), "doomed.localhost").statusCode()).isEqualTo(200);
        int port = upPort(api).orElseThrow();
        ProcessHandle app = listenerOn(port).orElseThrow();
        ProcessHandle executor = executorOf(app).orElseThrow(() -> new AssertionError("no executor above " + app));

        executor.destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> !app.isAlive() || zombie(app));
        // Replaced and routed, on a listener of its own (the old port is free, or held by the replacement).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                upPort(api).isPresent() && TestHttp.viaRouter(slipway.routerPort(), "doomed.localhost")
                        .statusCode() == 200);
        int newPort = upPort(api).orElseThrow();
        ProcessHandle replacement = listenerOn(newPort).orElseThrow();
        assertThat(replacement.pid()).isNotEqualTo(app.pid());
        assertThat(executorOf(replacement)).as("the replacement's listener is an instance's own").isPresent();
        // No flapping: the replacement stays up and routed.
        await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> TestHttp.viaRouter(slipway.routerPort(), "doomed.localhost").statusCode() == 200);
        assertThat(upPort(api)).contains(newPort);
    }

    private static Optional<Integer> upPort(String api) {
        Matcher matcher = WEB_1.matcher(Cli.run(api, "ps", "-a", "doomed").out());
        return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }

    /** The process holding the listener on {@code port}. */
    private static Optional<ProcessHandle> listenerOn(int port) throws Exception {
        for (TcpListeners.Listener listener : TcpListeners.read()) {
            if (listener.port() == port) {
                return ProcessHandle.of(ProcessSockets.holderOf(listener.inode()));
            }
        }
        return Optional.empty();
    }

    /** The executor JVM among the process's ancestors. */
    private static Optional<ProcessHandle> executorOf(ProcessHandle process) {
        for (Optional<ProcessHandle> p = process.parent(); p.isPresent(); p = p.get().parent()) {
            if (p.get().info().commandLine().orElse("").contains("slipway-executor")) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static boolean zombie(ProcessHandle process) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
