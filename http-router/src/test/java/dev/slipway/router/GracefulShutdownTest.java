package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RawClient.Answer;
import io.vertx.core.Future;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Stopping the router: no new connection, the requests in flight finish within the drain, the rest are cut. */
class GracefulShutdownTest extends WithRouterScenario {
    @Test
    void aSlowRequestInFlightWhenTheRouterStopsIsAnsweredWithConnectionCloseAndNewConnectionsAreRefused() {
        AppInstance slow = scenario.slowInstance("web.1", 1500);
        scenario.route("slow", slow);
        scenario.route("hello", scenario.instance("web.1"));
        scenario.configure = config -> config.withDrain(Duration.ofSeconds(10));
        HttpRouter router = scenario.startRouter();
        int port = router.port();

        try (RawClient client = new RawClient(port); RawClient idle = new RawClient(port)) {
            // A keep-alive connection whose request was answered: idle when the router stops.
            idle.send("GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
            scenario.lines.awaitLine("hello");
            client.send("GET /report HTTP/1.1\r\nHost: slow.localhost\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.received().size() == 1);

            Future<Void> stopped = router.stop();

            // The listener closes at once: a new connection is refused while the request is still running.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                            .isInstanceOf(ConnectException.class));
            assertThat(stopped.isComplete()).isFalse();
            // A keep-alive connection without a request in flight is closed, without an answer.
            Answer idleAnswer = idle.readUntilClosed(Duration.ofSeconds(5));
            assertThat(idleAnswer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(idleAnswer.closed()).isTrue();

            Answer answer = client.readUntilClosed(Duration.ofSeconds(10));
            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.text()).containsIgnoringCase("\r\nConnection: close\r\n").endsWith("\r\n\r\nweb.1");
            assertThat(answer.closed()).isTrue();
            Futures.await(stopped);
        }
        assertThat(scenario.lines.awaitLine("slow")).startsWith("at=info method=GET path=\"/report\" ")
                .contains(" status=200 ");
    }

    @Test
    void aRequestStillRunningAfterTheDrainIsCutAndLogged() {
        AppInstance slow = scenario.slowInstance("web.1", 30_000);
        scenario.route("slow", slow);
        scenario.configure = config -> config.withDrain(Duration.ofMillis(300));
        HttpRouter router = scenario.startRouter();

        try (RawClient client = new RawClient(router.port())) {
            client.send("GET /forever HTTP/1.1\r\nHost: slow.localhost\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.received().size() == 1);

            long start = System.nanoTime();
            Futures.await(router.stop());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(client.readUntilClosed(Duration.ofSeconds(5))).isEqualTo(new Answer("", true));
        }
        assertThat(scenario.lines.awaitLine("slow")).startsWith("at=error code=").contains(" path=\"/forever\" ");
    }

    @Test
    void stopWithoutRequestsInFlightDoesNotWaitForTheDrain() {
        scenario.route("hello", scenario.instance("web.1"));
        scenario.configure = config -> config.withDrain(Duration.ofSeconds(30));
        HttpRouter router = scenario.startRouter();
        assertThat(scenario.get("hello.localhost", "/").status()).isEqualTo(200);

        long start = System.nanoTime();
        Futures.await(router.stop());

        // Well under the 30 s drain: nothing was in flight.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
