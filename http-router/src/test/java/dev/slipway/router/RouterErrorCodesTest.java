package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RawClient.Answer;
import dev.slipway.router.RouterScenario.Reply;
import dev.slipway.zk.Route;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heroku's error codes: each one's answer (status, page) and router line, with real servers on loopback. */
class RouterErrorCodesTest extends WithRouterScenario {
    @Test
    void h12WhenTheAppDoesNotStartToAnswerWithinTheRequestTimeout() {
        AppInstance silent = scenario.silentInstance("web.1");
        scenario.route("slow", silent);
        scenario.startRouter(Duration.ofMillis(400));

        Reply reply = scenario.get("slow.localhost", "/report");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).contains("Error code: H12").contains("Request ID: " + reply.header("X-Request-Id"));
        assertThat(scenario.lines.awaitLine("slow"))
                .matches("at=error code=H12 desc=\"Request timeout\" method=GET path=\"/report\" host=slow.localhost "
                        + "request_id=" + reply.header("X-Request-Id") + " fwd=\"127.0.0.1\" dyno=web.1 connect=\\d+ms "
                        + "service=\\d+ms status=503 bytes=\\d+ protocol=http");
    }

    @Test
    void h13WhenTheAppClosesTheConnectionWithoutAnswering() {
        scenario.route("crashy", scenario.hangingUpInstance("web.1"));
        scenario.startRouter();

        Reply reply = scenario.post("crashy.localhost", "/orders", "order 1");

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.body()).contains("Error code: H13");
        assertThat(scenario.lines.awaitLine("crashy"))
                .startsWith("at=error code=H13 desc=\"Connection closed without response\" method=POST path=\"/orders\" ")
                .contains(" dyno=web.1 ", " status=502 ");
    }

    @Test
    void h14WhenTheAppHasNoRunningWebInstanceInJsonWhenTheClientPrefersIt() {
        scenario.route("idle", List.of());
        scenario.startRouter();

        Reply reply = scenario.get("idle.localhost", "/", MultiMap.caseInsensitiveMultiMap()
                .add("Accept", "application/json, text/plain;q=0.5"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        JsonObject body = new JsonObject(reply.body());
        assertThat(body.getString("id")).isEqualTo("H14");
        assertThat(body.getString("message")).isEqualTo("The app has no running web instance.");
        assertThat(body.getString("request_id")).isEqualTo(reply.header("X-Request-Id"));
        assertThat(scenario.lines.awaitLine("idle"))
                .startsWith("at=error code=H14 desc=\"No web dynos running\" method=GET path=\"/\" host=idle.localhost ")
                .contains(" dyno= connect= service= status=503 ");
    }

    @Test
    void aNoSuchAppPageInTextWhenTheClientPrefersTextAndNoRouterLine() {
        scenario.route("hello", scenario.instance("web.1"));
        scenario.startRouter();

        Reply reply = scenario.get("nope.localhost", "/", MultiMap.caseInsensitiveMultiMap().add("Accept", "text/plain"));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).startsWith("text/plain");
        assertThat(reply.body()).isEqualTo("No such app. There is no app at this address. Request ID: "
                + reply.header("X-Request-Id") + "\n");
        assertThat(scenario.get("hello.localhost", "/").status()).isEqualTo(200);
        assertThat(scenario.lines.awaitLines("hello", 1)).hasSize(1);
        assertThat(scenario.lines.all()).extracting(CollectedLines.Line::app).containsOnly("hello");
    }

    @Test
    void h21WhenEveryInstanceRefusesTheConnection() {
        scenario.route("down", List.of(), scenario.deadEndpoint("web.1"), scenario.deadEndpoint("web.2"));
        scenario.startRouter();

        Reply reply = scenario.get("down.localhost", "/");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).contains("Error code: H21");
        assertThat(scenario.lines.awaitLine("down"))
                .startsWith("at=error code=H21 desc=\"Backend connection refused\" method=GET ")
                .matches(".* dyno=web\\.[12] connect=\\d+ms service= status=503 .*");
    }

    @Test
    void h19WhenNoInstanceAcceptsTheConnectionWithinTheConnectTimeout() throws IOException {
        try (FullBacklog full = new FullBacklog()) {
            scenario.route("stuck", List.of(), full.endpoint("web.1"));
            scenario.startRouter();

            Reply reply = scenario.get("stuck.localhost", "/");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.body()).contains("Error code: H19");
            assertThat(scenario.lines.awaitLine("stuck")).startsWith("at=error code=H19 desc=\"Backend connection timeout\" ");
        }
    }

    @Test
    void h27WhenTheClientClosesBeforeTheAnswerIsLoggedWithStatus499() {
        AppInstance silent = scenario.silentInstance("web.1");
        scenario.route("slow", silent);
        int port = scenario.startRouter().port();

        try (RawClient client = new RawClient(port)) {
            client.send("GET /wait HTTP/1.1\r\nHost: slow.localhost\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> silent.received().size() == 1);
        }

        assertThat(scenario.lines.awaitLine("slow"))
                .startsWith("at=error code=H27 desc=\"Client Request Interrupted\" method=GET path=\"/wait\" ")
                .contains(" dyno=web.1 ", " status=499 bytes=0 ");
    }

    @Test
    void h28WhenTheClientStopsSendingItsBodyIsLoggedWithStatus499AndTheConnectionClosed() {
        AppInstance app = scenario.instance("web.1");
        scenario.route("upload", app);
        RouterConfig.ClientLimits defaults = RouterConfig.ClientLimits.defaults();
        int port = scenario.startRouter(RouterScenario.REQUEST_TIMEOUT, new RouterConfig.ClientLimits(
                defaults.headerTimeout(), Duration.ofMillis(400), defaults.keepAliveTimeout(),
                defaults.connectionsPerAddress())).port();

        try (RawClient client = new RawClient(port)) {
            client.send("POST /files HTTP/1.1\r\nHost: upload.localhost\r\nContent-Length: 100\r\n\r\n0123456789");

            assertThat(client.readUntilClosed(Duration.ofSeconds(10))).isEqualTo(new Answer("", true));
        }
        assertThat(scenario.lines.awaitLine("upload"))
                .startsWith("at=error code=H28 desc=\"Client Connection Idle\" method=POST path=\"/files\" ")
                .contains(" dyno=web.1 ", " status=499 bytes=0 ");
    }

    @Test
    void h15ClosesAnAnswerThatStopsHalfwayAfterTheIdleWindow() {
        try (StallingBackend stalling = new StallingBackend()) {
            scenario.route("stall", List.of(), stalling.endpoint("web.1"));
            scenario.configure = config -> config.withIdleTimeout(Duration.ofMillis(500));
            int port = scenario.startRouter().port();

            Answer answer = RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: stall.localhost\r\n\r\n");

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.text()).endsWith("\r\n\r\n" + StallingBackend.START);
            assertThat(answer.closed()).isTrue();
            assertThat(scenario.lines.awaitLine("stall"))
                    .startsWith("at=error code=H15 desc=\"Idle connection\" method=GET ")
                    .contains(" status=200 bytes=10 ");
            await().atMost(Duration.ofSeconds(10)).until(stalling::closedByPeer);
        }
    }

    @Test
    void refusesARequestLineOver8KbWith414AndAHeadOver8KbWith431() {
        // A backend without limits of its own (Vert.x's server refuses a request line over 4 KB).
        RawBackend backend = new RawBackend("web.1");
        scenario.route("hello", List.of(), backend.endpoint());
        int port = scenario.startRouter().port();

        Answer fits = RawClient.exchange(port, "GET /" + "a".repeat(7_000) + " HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n");
        Answer longLine = RawClient.exchange(port, "GET /" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
        Answer bigHead = RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: hello.localhost\r\n"
                + "X-Big: " + "b".repeat(5_000) + "\r\nX-Bigger: " + "c".repeat(5_000) + "\r\n\r\n");

        assertThat(fits.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        // Netty could not read the version of a line it did not read to the end: the answer is in HTTP/1.0.
        assertThat(longLine.statusLine()).matches("HTTP/1\\.[01] 414 .*");
        assertThat(longLine.text()).contains("X-Request-Id: ");
        assertThat(longLine.closed()).isTrue();
        assertThat(bigHead.statusLine()).matches("HTTP/1\\.[01] 431 .*");
        assertThat(bigHead.text()).contains("X-Request-Id: ");
        assertThat(bigHead.closed()).isTrue();
        assertThat(backend.requests()).hasSize(1);
        backend.close();
    }

    /**
     * A listening socket that never accepts, its accept queue filled by connections of its own, so
     * that a new connection is neither accepted nor refused: the kernel drops its SYNs.
     */
    private static final class FullBacklog implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        FullBacklog() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            for (int i = 0; i < 16; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
                    fillers.add(filler);
                } catch (SocketTimeoutException full) {
                    filler.close();
                    return;
                }
            }
            throw new IllegalStateException("the accept queue never filled up");
        }

        Route.Endpoint endpoint(String name) {
            return new Route.Endpoint("127.0.0.1", server.getLocalPort(), name, "task-" + name);
        }

        @Override
        public void close() {
            try {
                for (Socket filler : fillers) {
                    filler.close();
                }
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
