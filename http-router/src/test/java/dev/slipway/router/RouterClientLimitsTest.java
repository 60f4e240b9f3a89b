package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RawClient.Answer;
import dev.slipway.router.RouterConfig.ClientLimits;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client timeouts and the bound on connections per address, with short configured limits. */
class RouterClientLimitsTest {
    private static final Duration HEADER = Duration.ofMillis(600);
    private static final Duration BODY = Duration.ofMillis(600);
    private static final Duration KEEP_ALIVE = Duration.ofMillis(800);

    @TempDir
    Path zooKeeperData;

    private RouterScenario scenario;
    private RawBackend backend;

    @BeforeEach
    void startZooKeeperAndABackend() {
        scenario = new RouterScenario(zooKeeperData);
        backend = new RawBackend("web.1");
        scenario.route("hello", List.of(), backend.endpoint());
    }

    @AfterEach
    void stopEverything() {
        scenario.close();
        backend.close();
    }

    private int startRouter(int connectionsPerAddress) {
        return scenario.startRouter(Duration.ofSeconds(5), new ClientLimits(HEADER, BODY, KEEP_ALIVE, connectionsPerAddress)).port();
    }

    @Test
    void answers408AndClosesWhenTheRequestHeadDoesNotArriveInTime() {
        int port = startRouter(100);
        // Taken before connecting: the router's clock for the head may start as it accepts the connection.
        long start = System.nanoTime();
        try (RawClient client = new RawClient(port)) {
            Answer answer = client.send("GET / HTTP/1.1\r\nHost: hello.lo").readUntilClosed(Duration.ofSeconds(5));

            assertThat(answer.closed()).isTrue();
            assertThat(answer.statusLine()).startsWith("HTTP/1.1 408 ");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(HEADER.minusMillis(50), Duration.ofSeconds(3));
        }
        assertThat(backend.bytes()).isEmpty();
    }

    @Test
    void closesASlowlorisWhoseHeaderLinesKeepComingAtTheHeaderTimeout() {
        int port = startRouter(100);
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\nHost: hello.localhost\r\n");
            // One header line every 100 ms for up to 10 s: each read comes well within the timeout, the whole
            // head never does. The router answers 408 at the header timeout and, after its lingering close
            // (2 s), resets the connection, so a later line fails to go out. Whether the drip was cut, not
            // how long it took on the client's clock, is the assertion: a loaded machine stretches the sleeps.
            boolean cut = false;
            try {
                for (int i = 0; i < 100; i++) {
                    client.send("X-Drip-" + i + ": x\r\n");
                    Thread.sleep(100);
                }
            } catch (UncheckedIOException closedByTheRouter) {
                cut = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Answer answer = client.readUntilClosed(Duration.ofSeconds(5));

            assertThat(cut).as("the router cut the drip before it ended").isTrue();
            assertThat(answer.closed()).isTrue();
        }
        assertThat(backend.bytes()).isEmpty();
    }

    @Test
    void aRequestTheAppTakesLongerThanTheHeaderTimeoutToAnswerIsNotCutByAStrayLineAfterIt() {
        try (RawBackend slow = new RawBackend("web.1", HEADER.multipliedBy(2))) {
            scenario.route("slow", List.of(), slow.endpoint());
            int port = startRouter(100);

            Answer answer = RawClient.exchange(port, "POST / HTTP/1.1\r\nHost: slow.localhost\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\nhi\r\n");

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.text()).endsWith("hi");
        }
    }

    @Test
    void closesAnIdleConnectionAfterAnUpgradeTheAppDidNotSwitch() {
        int port = startRouter(100);
        try (RawClient client = new RawClient(port)) {
            client.send("GET /socket HTTP/1.1\r\nHost: hello.localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            Answer answer = client.readUntilClosed(Duration.ofSeconds(5));

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.closed()).isTrue();
        }
    }

    @Test
    void closesAConnectionThatNeverSendsARequest() {
        int port = startRouter(100);
        try (RawClient client = new RawClient(port)) {
            Answer answer = client.readUntilClosed(Duration.ofSeconds(5));

            assertThat(answer.closed()).isTrue();
            assertThat(answer.text()).isEmpty();
        }
    }

    @Test
    void closesAConnectionWhoseBodyStallsLongerThanTheBodyTimeout() {
        int port = startRouter(100);
        try (RawClient client = new RawClient(port)) {
            long start = System.nanoTime();
            Answer answer = client.send("POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 10\r\n\r\nabc")
                    .readUntilClosed(Duration.ofSeconds(5));

            assertThat(answer.closed()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(BODY.minusMillis(50), Duration.ofSeconds(3));
        }
        // The body is streamed: the app may get the head and "abc", then an aborted connection, never a request.
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void closesAKeepAliveConnectionIdleLongerThanTheKeepAliveTimeoutButNotBefore() {
        int port = startRouter(100);
        try (RawClient client = new RawClient(port)) {
            client.send("GET /one HTTP/1.1\r\nHost: hello.localhost\r\n\r\n").readUntil("\r\n\r\nok");
            // Still open a moment later: a second request on it is served.
            long secondSent = System.nanoTime();
            String both = client.send("POST /two HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 3\r\n\r\ntwo")
                    .readUntil("\r\n\r\ntwo");
            assertThat(both.split("HTTP/1.1 200 OK", -1)).hasSize(3);
            Answer answer = client.readUntilClosed(Duration.ofSeconds(5));

            assertThat(answer.closed()).isTrue();
            // From before the second request went out: the router's idle clock starts only once it has
            // answered it, which is before the client has read the answer (timing from then measured less
            // than the timeout on a loaded machine).
            assertThat(Duration.ofNanos(System.nanoTime() - secondSent)).isBetween(KEEP_ALIVE.minusMillis(50), Duration.ofSeconds(3));
        }
        assertThat(RawBackend.targets(backend.requests())).containsExactly("/one", "/two");
    }

    @Test
    void answers503AndClosesAConnectionBeyondTheBoundPerAddressAndAcceptsOnceOneCloses() {
        int port = startRouter(3);
        List<RawClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawClient client = new RawClient(port);
                held.add(client);
                // A request keeps each connection busy (and known to the router) for the test's length.
                client.send("GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n").readUntil("\r\n\r\nok");
            }
            Answer refused = RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
            assertThat(refused.statusLine()).startsWith("HTTP/1.1 503 ");
            assertThat(refused.closed()).isTrue();

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n").statusLine())
                    .isEqualTo("HTTP/1.1 200 OK"));
        } finally {
            held.forEach(RawClient::close);
        }
    }
}
