package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RawClient.Answer;
import dev.slipway.router.testing.TrustingTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router on its Netty data path whatever {@code slipway.router.dataPath} says: what the rest of
 * the suite does not check when it runs on the default path (run it with
 * {@code -Dslipway.router.dataPath=netty} for the rest): a bad setting, HTTPS with the framing guard
 * behind TLS, HTTP/2 (h2c and h2 by ALPN, proxied as HTTP/1.1), pipelining, kept-alive connections to
 * apps, bodies larger than any buffer, and the framing guard in front of Netty's decoder. Raw sockets
 * on both sides.
 */
class NettyDataPathTest extends WithRecordingBackend {
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: hello.localhost\r\n\r\n";

    @Override
    void beforeTheRouterStarts() {
        scenario.configure = config -> config.withDataPath(DataPath.NETTY);
    }

    @Test
    void anUnknownDataPathIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> DataPath.of("fast"))
                .hasMessageContaining("router data path must be vertx or netty, not 'fast'");
        assertThat(DataPath.of(" Netty ")).isEqualTo(DataPath.NETTY);
    }

    @Test
    void servesHttpsWithTheFramingGuardBehindTls(@TempDir Path otherData) throws Exception {
        try (RouterScenario withTls = new RouterScenario(otherData)) {
            withTls.configure = config -> config.withDataPath(DataPath.NETTY);
            withTls.route("hello", List.of(), backend.endpoint());
            int https = withTls.startRouterWithTls().httpsPort();

            try (RawClient client = new RawClient(TrustingTls.connect(https, "hello.localhost"))) {
                client.send("GET /secure HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
                assertThat(client.readUntil("\r\n\r\nok")).startsWith("HTTP/1.1 200 OK");
                Answer refused = client.send("POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 5\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED).readUntilClosed(Duration.ofSeconds(5));
                assertThat(refused.text()).contains("HTTP/1.1 400 ");
                assertThat(refused.closed()).isTrue();
            }
            RawBackend.Request received = backend.requests().get(0);
            assertThat(received.target()).isEqualTo("/secure");
            assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
            assertThat(received.header("X-Forwarded-Port")).isEqualTo(Integer.toString(https));
            assertThat(RawBackend.targets(backend.requests())).doesNotContain("/smuggled");
        }
    }

    @Test
    void speaksHttp2WithPriorKnowledgeAndByAlpnAndGivesTheAppHttp11(@TempDir Path otherData) throws Exception {
        try (RawHttp2 client = new RawHttp2(port)) {
            client.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/h2c", ":authority", "hello.localhost",
                    "cookie", "a=1", "cookie", "b=2");
            client.data(1, "no length", true);
            assertThat(client.awaitAnswer(1).status()).isEqualTo("200");
        }
        RawBackend.Request received = backend.requests().get(0);
        assertThat(backend.bytes()).startsWith("POST /h2c HTTP/1.1\r\n");
        assertThat(received.header("Host")).isEqualTo("hello.localhost");
        assertThat(received.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(received.body()).isEqualTo("no length");
        assertThat(received.header("Cookie")).isEqualTo("a=1; b=2");
        assertThat(received.header("Via")).isEqualTo("2.0 slipway");
        assertThat(scenario.lines.awaitLine("hello")).contains("path=\"/h2c\"", "status=200", "protocol=http");

        try (RouterScenario withTls = new RouterScenario(otherData)) {
            withTls.configure = config -> config.withDataPath(DataPath.NETTY);
            withTls.route("hello", List.of(), backend.endpoint());
            int https = withTls.startRouterWithTls().httpsPort();
            String resolve = "hello.localhost:" + https + ":127.0.0.1";
            String url = "https://hello.localhost:" + https + "/alpn";

            assertThat(RouterHttp2Test.curl("--http2", "-k", "--resolve", resolve, url)).isEqualTo("2 200");
            assertThat(RouterHttp2Test.curl("--http1.1", "-k", "--resolve", resolve, url)).isEqualTo("1.1 200");
        }
        assertThat(backend.requests().get(1).header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(backend.requests().get(1).header("Via")).isEqualTo("2.0 slipway");
        assertThat(backend.requests().get(2).header("Via")).isEqualTo("1.1 slipway");
    }

    @Test
    void proxiesARequestWithHerokusHeadersAndWritesItsRouterLine() {
        Answer answer = RawClient.exchange(port, "GET /hi?x=1 HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n"
                + "X-Forwarded-For: 10.0.0.1\r\nKeep-Alive: 5\r\n\r\n");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(answer.text()).containsIgnoringCase("Via: 1.1 slipway").containsIgnoringCase("X-Request-Id: ");
        RawBackend.Request received = backend.requests().get(0);
        assertThat(received.target()).isEqualTo("/hi?x=1");
        assertThat(received.header("X-Forwarded-For")).isEqualTo("10.0.0.1, 127.0.0.1");
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(received.header("Keep-Alive")).isNull();
        assertThat(received.header("Connection")).isNull();
        assertThat(scenario.lines.awaitLine("hello")).contains("at=info", "path=\"/hi?x=1\"", "dyno=web.1", "status=200");
    }

    @Test
    void answersPipelinedRequestsInTheirOrderOneAtATime() {
        Answer answer = RawClient.exchange(port, "GET /one HTTP/1.1\r\nHost: hello.localhost\r\n\r\n"
                + "POST /two HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 3\r\n\r\ntwo"
                + "GET /three HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.text().split("HTTP/1.1 200 OK", -1)).hasSize(4);
        assertThat(answer.text().indexOf("two")).isGreaterThan(answer.text().indexOf("HTTP/1.1 200 OK", 1));
        assertThat(answer.closed()).isTrue();
        assertThat(RawBackend.targets(backend.requests())).containsExactly("/one", "/two", "/three");
    }

    @Test
    void keepsItsConnectionToTheAppAliveBetweenRequests() {
        // One client connection: its requests stay on one event loop, whose pool holds the app's connections.
        try (RawClient client = new RawClient(port)) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /" + i + " HTTP/1.1\r\nHost: hello.localhost\r\nX-Request-Id: request-" + i + "\r\n\r\n");
                assertThat(client.readUntil("X-Request-Id: request-" + i)).contains("X-Request-Id: request-" + i);
            }
        }

        assertThat(RawBackend.targets(backend.requests())).containsExactly("/0", "/1", "/2");
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void streamsABodyLargerThanAnyBufferBothWays() {
        // A Vert.x app that echoes the body (the raw backend reads a byte per call: too slow for this).
        AppInstance echo = scenario.instance("web.1");
        scenario.route("big", echo);
        String body = "x".repeat(3 * 1024 * 1024);

        RouterScenario.Reply reply = await().atMost(Duration.ofSeconds(10))
                .until(() -> scenario.post("big.localhost", "/echo", body), answered -> answered.status() != 404);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).hasSize(body.length());
    }

    @Test
    void refusesASmuggledRequestBeforeNettysDecoderSeesItAndCloses() {
        Answer answer = RawClient.exchange(port, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED);

        assertThat(answer.statusLine()).startsWith("HTTP/1.1 400 ");
        assertThat(answer.text()).containsIgnoringCase("connection: close");
        assertThat(answer.closed()).isTrue();
        assertThat(backend.bytes()).isEmpty();
    }

    @Test
    void refusesARequestLineLongerThanNginxsWith414() {
        Answer answer = RawClient.exchange(port, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");

        assertThat(answer.statusLine()).startsWith("HTTP/1.1 414 ");
        assertThat(answer.closed()).isTrue();
        assertThat(backend.bytes()).isEmpty();
    }

    @Test
    void answersAnUnknownHostWith404AndKeepsTheConnection() {
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\nHost: nobody.localhost\r\nAccept: text/plain\r\n\r\n");
            assertThat(client.readUntil("Request ID")).startsWith("HTTP/1.1 404 ");
            client.send("GET /after HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n");
            assertThat(client.readUntilClosed(Duration.ofSeconds(5)).text()).contains("HTTP/1.1 200 OK");
        }
        assertThat(RawBackend.targets(backend.requests())).containsExactly("/after");
    }
}
