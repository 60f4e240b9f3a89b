package dev.slipway.executor.logs;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.executor.process.AppOutput;
import dev.slipway.executor.process.ExitStatus;
import dev.slipway.executor.process.Instance;
import dev.slipway.executor.process.PlainProcessRunner;
import dev.slipway.executor.process.ProcessRunner;
import dev.slipway.executor.process.RunningProcess;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An app's output as the executor wires it: to the sandbox's files, and shipped when the task says where. */
class LogShippingTest {
    @TempDir
    Path sandbox;
    HttpServer framework;
    final List<String> received = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    LogShipping shipping;
    ProcessRunner runner;

    @BeforeEach
    void start() throws Exception {
        framework = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        framework.createContext("/apps/hello/log-lines", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                received.addAll(new String(body.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        framework.start();
        shipping = new LogShipping(LogShipper.Settings.defaults(), Clock.systemUTC());
        AppOutput output = AppOutput.console(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), Clock.systemUTC(), shipping);
        runner = shipping.around(new PlainProcessRunner(Map.of("PATH", System.getenv("PATH")), output));
        Files.createDirectories(sandbox.resolve("app"));
    }

    @AfterEach
    void stop() {
        shipping.close(Duration.ofMillis(100));
        framework.stop(0);
    }

    @Test
    void theAppsLinesGoToTheSandboxAndToTheLogUrl() throws Exception {
        String url = "http://127.0.0.1:" + framework.getAddress().getPort() + "/apps/hello/log-lines";
        RunningProcess process = runner.start(new Instance("hello.worker.1.v3.test",
                aWorker().command("echo to stdout; echo to stderr >&2").logUrl(url).build(), sandbox.resolve("app")));
        process.onExit().get(10, TimeUnit.SECONDS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 2);
        String timestamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 ";
        assertThat(received).anySatisfy(line -> assertThat(line).matches(timestamp + "app\\[worker\\.1\\]: to stdout"))
                .anySatisfy(line -> assertThat(line).matches(timestamp + "app\\[worker\\.1\\]: to stderr"));
        assertThat(stdout.toString(StandardCharsets.UTF_8).strip()).isEqualTo(received.stream()
                .filter(line -> line.endsWith("to stdout")).findFirst().orElseThrow());
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("app[worker.1]: to stderr");
    }

    @Test
    void aProcessEndsOnlyOnceItsLastLinesAreShipped() throws Exception {
        String url = "http://127.0.0.1:" + framework.getAddress().getPort() + "/apps/hello/log-lines";
        RunningProcess process = runner.start(new Instance("hello.run.1234.v3.test",
                aWorker().command("for i in $(seq 1 300); do echo line $i; done; echo last >&2; exit 3").logUrl(url)
                        .build(), sandbox.resolve("app")));

        ExitStatus exit = process.onExit().get(20, TimeUnit.SECONDS);

        // No waiting: by the time the end is told, every line has reached the log URL.
        assertThat(exit.code()).isEqualTo(3);
        assertThat(received).hasSize(301);
        assertThat(received).anySatisfy(line -> assertThat(line).endsWith("app[worker.1]: last"))
                .anySatisfy(line -> assertThat(line).endsWith("app[worker.1]: line 300"));
    }

    @Test
    void aTaskWithoutALogUrlShipsNothing() throws Exception {
        RunningProcess process = runner.start(new Instance("hello.worker.1.v3.test",
                aWorker().command("echo kept in the sandbox").build(), sandbox.resolve("app")));
        process.onExit().get(10, TimeUnit.SECONDS);

        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> stdout.toString(StandardCharsets.UTF_8).contains("app[worker.1]: kept in the sandbox"));
        shipping.close(Duration.ofSeconds(1));
        assertThat(received).isEmpty();
    }
}
