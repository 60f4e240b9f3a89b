package dev.slipway.executor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.executor.task.HealthSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Watches with real probes of real servers, on fast rules: what the listener hears, and when it stops. */
class HealthWatchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final HealthWatch.Listener listener = new HealthWatch.Listener() {
        @Override
        public void healthy(String detail) {
            heard.add("healthy: " + detail);
        }

        @Override
        public void bootTimedOut(String reason) {
            heard.add("boot timed out: " + reason);
        }

        @Override
        public void unhealthy(String reason) {
            heard.add("unhealthy: " + reason);
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Fast rules: 50 ms between probes, 3 failures in a row, the first pass within {@code firstPassWithin}. */
    private static HealthCheck.Rules rules(int port, Duration firstPassWithin) {
        return new HealthCheck.Rules(firstPassWithin, Duration.ofMillis(50), Duration.ofMillis(50),
                Duration.ofSeconds(1), 3, port);
    }

    private HealthWatch watch(Probe probe, HealthCheck.Rules rules) {
        return HealthWatch.start(scheduler, Clock.systemUTC(), probe, rules, "hello web.1 v3 (task test)", listener);
    }

    private static Probe http(int port) {
        return Probe.of(HealthSpec.of(HealthSpec.Type.HTTP, "/health", null), port, null);
    }

    @Test
    void aHealthyAppThatStartsAnswering500IsUnhealthyAfterThreeFailuresInARow() throws IOException {
        try (AppServer server = AppServer.answering(200)) {
            watch(http(server.port()), rules(server.port(), WAIT));
            await().atMost(WAIT).until(() -> heard.contains("healthy: GET /health answered 200"));

            server.answer(500);

            await().atMost(WAIT).until(() -> heard.size() == 2);
            assertThat(heard).containsExactly("healthy: GET /health answered 200",
                    "unhealthy: health check failed 3 times: GET /health answered 500");
            int requests = server.requests();
            await("no probe once it is over").during(Duration.ofMillis(300)).atMost(WAIT)
                    .until(() -> server.requests() == requests);
        }
    }

    @Test
    void failuresBeforeTheFirstPassAndShortOfTheMaximumAreNotReported() throws IOException {
        try (AppServer server = AppServer.answeringInTurn(503, 503, 503, 503, 200, 500, 500, 200, 500, 500, 200)) {
            watch(http(server.port()), rules(server.port(), WAIT));

            await().atMost(WAIT).until(() -> server.requests() >= 12);
            assertThat(heard).containsExactly("healthy: GET /health answered 200");
        }
    }

    @Test
    void aPortThatStartsListeningLateBecomesHealthy() throws IOException {
        int port = AppServer.closedPort();
        watch(Probe.of(HealthSpec.tcp(60), port, null), rules(port, WAIT));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(heard::isEmpty);

        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            await().atMost(WAIT).until(() -> heard.equals(List.of("healthy: listening on port " + port)));
        }
    }

    @Test
    void aPortNeverListeningTimesOutOnceWithR10() throws IOException {
        int port = AppServer.closedPort();
        long before = System.nanoTime();

        watch(Probe.of(HealthSpec.tcp(60), port, null), rules(port, Duration.ofMillis(600)));

        await().atMost(WAIT).until(() -> !heard.isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> heard.size() == 1);
        assertThat(heard).containsExactly("boot timed out: web process failed to bind to " + port + " within 600 ms");
    }

    @Test
    void aCancelledWatchReportsNothingAndProbesNoMore() throws IOException {
        try (AppServer server = AppServer.answering(500)) {
            HealthWatch watch = watch(http(server.port()), rules(server.port(), Duration.ofMillis(300)));
            await().atMost(WAIT).until(() -> server.requests() > 0);

            watch.cancel();

            // A probe under way when it was cancelled may still reach the server, but no report follows.
            int requests = server.requests() + 1;
            await().during(Duration.ofMillis(600)).atMost(WAIT)
                    .until(() -> heard.isEmpty() && server.requests() <= requests);
        }
    }

    @Test
    void aProbeThatBreaksCountsAsAFailure() {
        watch(timeout -> {
            throw new IllegalStateException("bug");
        }, rules(0, Duration.ofMillis(100)));

        await().atMost(WAIT).until(() -> !heard.isEmpty());
        assertThat(heard).containsExactly("boot timed out: health check did not pass within 100 ms: "
                + "the health check broke: java.lang.IllegalStateException: bug");
    }
}
