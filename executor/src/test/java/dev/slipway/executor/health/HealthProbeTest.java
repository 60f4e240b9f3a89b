package dev.slipway.executor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final HealthProbe probe = new HealthProbe(scheduler, Clock.systemUTC(), Duration.ofMillis(50));
    private final AtomicInteger healthy = new AtomicInteger();
    private final AtomicInteger timedOut = new AtomicInteger();
    private final HealthProbe.Listener listener = new HealthProbe.Listener() {
        @Override
        public void healthy() {
            healthy.incrementAndGet();
        }

        @Override
        public void bootTimedOut() {
            timedOut.incrementAndGet();
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aListeningPortIsHealthy() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            probe.watchTcp(server.getLocalPort(), Duration.ofSeconds(10), listener);

            await().atMost(Duration.ofSeconds(5)).until(() -> healthy.get() == 1);
        }
        assertThat(timedOut).hasValue(0);
    }

    @Test
    void aPortThatStartsListeningLateBecomesHealthy() throws IOException {
        int port = freePort();
        probe.watchTcp(port, Duration.ofSeconds(10), listener);
        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> healthy.get() == 0);

        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> healthy.get() == 1);
        }
    }

    @Test
    void aPortNeverListeningTimesOutOnce() throws IOException {
        int port = freePort();
        long before = System.nanoTime();

        probe.watchTcp(port, Duration.ofMillis(600), listener);

        await().atMost(Duration.ofSeconds(5)).until(() -> timedOut.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                .until(() -> timedOut.get() == 1 && healthy.get() == 0);
    }

    @Test
    void aCancelledWatchReportsNothing() throws IOException {
        int port = freePort();
        HealthProbe.Watch watch = probe.watchTcp(port, Duration.ofMillis(300), listener);

        watch.cancel();

        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> timedOut.get() == 0 && healthy.get() == 0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
