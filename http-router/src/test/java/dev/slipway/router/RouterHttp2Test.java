package dev.slipway.router;

import static dev.slipway.router.RawHttp2.GOAWAY;
import static dev.slipway.router.RawHttp2.HEADERS;
import static dev.slipway.router.RawHttp2.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RawClient.Answer;
import dev.slipway.zk.SelfSigned;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 through the router: h2 chosen by ALPN on the HTTPS listener (each SNI host with its own
 * certificate), h2c with prior knowledge on the plain one, each proxied to the app as HTTP/1.1 with
 * the usual headers; HTTP/1.1 on the same port as strictly guarded as before; and what a hostile
 * HTTP/2 client sends, in frames written by hand, never reaching the app.
 */
class RouterHttp2Test {
    @TempDir
    Path zooKeeperData;

    private final Vertx vertx = Vertx.vertx();
    private RouterScenario scenario;
    private AppInstance one;
    private AppInstance two;
    private AppInstance hello;
    private HttpRouter router;

    @BeforeEach
    void startARouterWithTlsAndThreeApps() {
        scenario = new RouterScenario(zooKeeperData);
        one = scenario.instance("one.web.1");
        two = scenario.instance("two.web.1");
        hello = scenario.instance("hello.web.1");
        scenario.route("one", List.of("www.one.example"), one.endpoint());
        scenario.route("two", List.of("*.two.example"), two.endpoint());
        scenario.route("hello", hello);
        scenario.certificate("one", "www.one.example", SelfSigned.generate("www.one.example"));
        scenario.certificate("two", "*.two.example", SelfSigned.generate("*.two.example"));
        router = scenario.startRouterWithTls();
    }

    @AfterEach
    void stopEverything() {
        scenario.close();
        Futures.await(vertx.close());
    }

    /** What an HTTP/2 client got back, and the certificate its connection was served. */
    record Reply(HttpVersion version, int status, MultiMap headers, String body, String subject) {
        String header(String name) {
            return headers.get(name);
        }
    }

    @Test
    void getAndPostOverH2ChosenByAlpnReachEachSniHostWithItsCertificateAsHttp11() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false).setForceSni(true));

        Reply get = send(client, router.httpsPort(), HttpMethod.GET, "www.one.example", "/first", null);
        Reply post = send(client, router.httpsPort(), HttpMethod.POST, "api.two.example", "/upload", "a body over h2");

        assertThat(get.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("one.web.1");
        assertThat(get.subject()).isEqualTo("CN=www.one.example");
        assertThat(post.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(post.body()).isEqualTo("a body over h2");
        assertThat(post.subject()).isEqualTo("CN=*.two.example");
        AppInstance.Received seen = one.lastReceived();
        assertThat(seen.uri()).isEqualTo("/first");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.header("X-Forwarded-Port")).isEqualTo(Integer.toString(router.httpsPort()));
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("Via")).isEqualTo("2.0 slipway");
        assertThat(seen.header("X-Request-Id")).isEqualTo(get.header("X-Request-Id"));
        assertThat(two.lastReceived().method()).isEqualTo("POST");
        assertThat(two.lastReceived().body()).isEqualTo("a body over h2");
    }

    @Test
    void curlGetsH2WithPriorKnowledgeAndByAlpnAndHttp11WhenItAsksForAnUpgrade() throws Exception {
        String https = "https://www.one.example:" + router.httpsPort() + "/curl";
        String resolve = "www.one.example:" + router.httpsPort() + ":127.0.0.1";

        assertThat(curl("--http2-prior-knowledge", "-H", "Host: hello.localhost", "http://127.0.0.1:" + router.port() + "/prior"))
                .isEqualTo("2 200");
        assertThat(curl("--http2", "-H", "Host: hello.localhost", "http://127.0.0.1:" + router.port() + "/upgrade"))
                .isEqualTo("1.1 200");
        assertThat(curl("--http2", "-k", "--resolve", resolve, https)).isEqualTo("2 200");
        assertThat(curl("--http1.1", "-k", "--resolve", resolve, https)).isEqualTo("1.1 200");
        assertThat(hello.received()).extracting(AppInstance.Received::uri).containsExactly("/prior", "/upgrade");
        assertThat(hello.received().get(1).header("Upgrade")).isNull();
    }

    /** curl's HTTP version and status for a GET with {@code arguments}. */
    static String curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                "--max-time", "10"));
        command.addAll(List.of(arguments));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(curl.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    void anHttp11ClientOnTheHttpsListenerStillGetsHttp11() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false).setForceSni(true));

        Reply reply = send(client, router.httpsPort(), HttpMethod.GET, "www.one.example", "/", null);

        assertThat(reply.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(reply.body()).isEqualTo("one.web.1");
        assertThat(one.lastReceived().header("Via")).isEqualTo("1.1 slipway");
    }

    @Test
    void getAndPostOverH2cWithPriorKnowledgeReachTheAppAsHttp11() {
        HttpClient client = h2c();

        Reply get = send(client, router.port(), HttpMethod.GET, "hello.localhost", "/path?q=1", null);
        Reply post = send(client, router.port(), HttpMethod.POST, "hello.localhost", "/form", "x".repeat(100_000));

        assertThat(get.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("hello.web.1");
        assertThat(post.body()).hasSize(100_000);
        AppInstance.Received seen = hello.received().get(0);
        assertThat(seen.uri()).isEqualTo("/path?q=1");
        assertThat(seen.header("Host")).isEqualTo("hello.localhost:" + router.port());
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("Via")).isEqualTo("2.0 slipway");
        assertThat(get.header("Via")).isEqualTo("1.1 slipway");
    }

    @Test
    void anH2RequestReachesTheAppOnAnHttp11ConnectionAndTheAppsHopByHopHeadersStayBehind() {
        RawBackend raw = new RawBackend("raw.web.1");
        scenario.route("raw", List.of(), raw.endpoint());
        io.vertx.core.http.HttpServer chunking = vertx.createHttpServer().requestHandler(request -> request.response()
                .setChunked(true)
                .putHeader("Connection", "keep-alive, X-Hop")
                .putHeader("Keep-Alive", "timeout=5")
                .putHeader("X-Hop", "for the router only")
                .putHeader("X-Kept", "yes")
                .write("part one, ").compose(written -> request.response().end("part two")));
        int port = Futures.await(chunking.listen(0, "127.0.0.1")).actualPort();
        scenario.route("chunks", List.of(), new dev.slipway.zk.Route.Endpoint("127.0.0.1", port, "chunks.web.1", "task-chunks"));
        HttpClient client = h2c();

        Reply fromRaw = send(client, router.port(), HttpMethod.GET, "raw.localhost", "/raw", null);
        Reply chunked = send(client, router.port(), HttpMethod.GET, "chunks.localhost", "/", null);

        try (RawHttp2 unsized = new RawHttp2(router.port())) {
            unsized.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/unsized", ":authority", "raw.localhost");
            unsized.data(1, "no length", true);
            assertThat(unsized.awaitAnswer(1).status()).isEqualTo("200");
        }

        assertThat(fromRaw.status()).isEqualTo(200);
        assertThat(raw.bytes()).startsWith("GET /raw HTTP/1.1\r\n");
        assertThat(raw.requests().get(0).header("Transfer-Encoding")).isNull();
        assertThat(raw.requests().get(0).header("Content-Length")).isNull();
        assertThat(raw.requests().get(1).target()).isEqualTo("/unsized");
        assertThat(raw.requests().get(1).header("Transfer-Encoding")).as(raw.bytes()).isEqualTo("chunked");
        assertThat(raw.requests().get(1).body()).isEqualTo("no length");
        assertThat(chunked.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(chunked.body()).isEqualTo("part one, part two");
        assertThat(chunked.header("X-Kept")).isEqualTo("yes");
        assertThat(chunked.headers().names()).map(String::toLowerCase)
                .doesNotContain("connection", "keep-alive", "transfer-encoding", "x-hop");
    }

    @Test
    void theRoutersErrorPagesAndCodesComeOverH2() {
        HttpClient client = h2c();

        Reply missing = send(client, router.port(), HttpMethod.GET, "nothing.localhost", "/", null);
        RequestOptions json = options(router.port(), HttpMethod.GET, "nothing.localhost", "/").addHeader("Accept", "application/json");
        Reply asJson = Futures.await(client.request(json).compose(request -> read(request.send(), null)));

        assertThat(missing.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("text/html");
        assertThat(missing.body()).contains(missing.header("X-Request-Id"));
        assertThat(asJson.status()).isEqualTo(404);
        assertThat(asJson.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void http11OnThePlainPortIsStillGuardedBesideH2c() {
        Answer smuggled = RawClient.exchange(router.port(), "POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
        Answer halfPreface = RawClient.exchange(router.port(), "PRI * HTTP/2.0\r\n\r\nXY\r\n\r\n");
        Answer plain = RawClient.exchange(router.port(), "GET /plain HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n");

        assertThat(smuggled.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(smuggled.closed()).isTrue();
        assertThat(halfPreface.statusLine()).isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
        assertThat(halfPreface.closed()).isTrue();
        assertThat(plain.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(hello.received()).extracting(AppInstance.Received::uri).containsExactly("/plain");
    }

    @Test
    void anUpgradeToH2cEvenWithABodyIsServedAsHttp11AndTheAppSeesNoUpgrade() {
        // As curl --http2 asks on an http:// URL.
        try (RawClient client = new RawClient(router.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: hello.localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /next HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n");
            Answer answer = client.readUntilClosed(Duration.ofSeconds(5));

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.text()).doesNotContain("HTTP/1.1 101").contains("\r\n\r\nhello").endsWith("hello.web.1");
        }
        assertThat(hello.received()).extracting(AppInstance.Received::uri).containsExactly("/up", "/next");
        AppInstance.Received up = hello.received().get(0);
        assertThat(up.body()).isEqualTo("hello");
        assertThat(up.header("Upgrade")).isNull();
        assertThat(up.header("HTTP2-Settings")).isNull();
    }

    @Test
    void aWebSocketOverHttp11StillPasses() {
        assertThat(scenario.webSocketEcho("hello.localhost", "ping")).isEqualTo("hello.web.1:ping");
    }

    @Test
    void connectionSpecificHeadersInAnH2RequestResetTheStreamAndNeverReachTheApp() {
        String[][] hostile = {
                {"connection", "keep-alive"}, {"transfer-encoding", "chunked"}, {"keep-alive", "timeout=5"},
                {"upgrade", "websocket"}, {"proxy-connection", "keep-alive"}, {"te", "gzip"}};
        try (RawHttp2 client = new RawHttp2(router.port())) {
            int stream = 1;
            for (String[] header : hostile) {
                client.headers(stream, true, ":method", "GET", ":scheme", "http", ":path", "/" + header[0],
                        ":authority", "hello.localhost", header[0], header[1]);
                RawHttp2.Frame answer = client.awaitAnswer(stream);
                assertThat(answer).as(header[0]).isNotNull();
                assertThat(answer.type()).as(header[0] + ": " + answer).isIn(RST_STREAM, GOAWAY);
                assertThat(answer.errorCode()).isEqualTo(RawHttp2.PROTOCOL_ERROR);
                if (answer.type() == GOAWAY) {
                    break;
                }
                stream += 2;
            }
        }
        assertThat(hello.received()).isEmpty();
        // te: trailers is the one allowed.
        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/trailers", ":authority", "hello.localhost",
                    "te", "trailers");
            assertThat(client.awaitAnswer(1).status()).isEqualTo("200");
        }
    }

    @Test
    void aContentLengthThatDisagreesWithTheDataFramesIsRefusedAndNeverReachesTheAppWhole() {
        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/short", ":authority", "hello.localhost",
                    "content-length", "10");
            client.data(1, "12345", true);
            RawHttp2.Frame shorter = client.awaitEnd(1);
            client.headers(3, false, ":method", "POST", ":scheme", "http", ":path", "/long", ":authority", "hello.localhost",
                    "content-length", "3");
            client.data(3, "123456", true);
            RawHttp2.Frame longer = client.awaitEnd(3);
            client.headers(5, true, ":method", "GET", ":scheme", "http", ":path", "/after", ":authority", "hello.localhost");
            RawHttp2.Frame after = client.awaitAnswer(5);

            assertThat(shorter.type()).as(shorter.toString()).isEqualTo(RST_STREAM);
            assertThat(longer.type()).as(longer.toString()).isEqualTo(RST_STREAM);
            assertThat(after.status()).isEqualTo("200");
        }
        assertThat(hello.received()).extracting(AppInstance.Received::uri).containsExactly("/after");
    }

    @Test
    void anAuthorityAndAHostThatDisagreeResetTheStream() {
        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "hello.localhost",
                    "host", "one.localhost");
            RawHttp2.Frame answer = client.awaitAnswer(1);

            assertThat(answer.type()).as(answer.toString()).isEqualTo(RST_STREAM);
            assertThat(answer.errorCode()).isEqualTo(RawHttp2.PROTOCOL_ERROR);
        }
        assertThat(hello.received()).isEmpty();
    }

    @Test
    void whatTheFramingGuardRefusesInAHeadIsRefusedInAnH2RequestToo() {
        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, true, ":method", "CONNECT", ":authority", "hello.localhost:443");
            client.headers(3, true, ":method", "GET", ":scheme", "http", ":path", "/", "host-less", "yes");
            client.headers(5, true, ":method", "GET", ":scheme", "http", ":path", "http://hello.localhost/", ":authority", "hello.localhost");
            client.headers(7, true, ":method", "GET", ":scheme", "http", ":path", "*", ":authority", "hello.localhost");

            assertThat(client.awaitAnswer(1).status()).isEqualTo("405");
            assertThat(client.awaitAnswer(3).status()).isEqualTo("400");
            assertThat(client.awaitAnswer(5).status()).isEqualTo("400");
            assertThat(client.awaitAnswer(7).status()).isEqualTo("400");
        }
        assertThat(hello.received()).isEmpty();
    }

    @Test
    void aTargetOrAHeaderThatAnHttp11RequestCouldNotCarryNeverReachesTheApp() {
        String[][] hostile = {
                {":method", "GET", ":scheme", "http", ":path", "/a b", ":authority", "hello.localhost"},
                {":method", "GET", ":scheme", "http", ":path", "/x HTTP/1.1\r\nX-Injected: yes\r\n\r\nGET /y",
                        ":authority", "hello.localhost"},
                {":method", "GET", ":scheme", "http", ":path", "/value", ":authority", "hello.localhost",
                        "x-evil", "a\r\nx-injected: yes"},
                {":method", "GET /z HTTP/1.1", ":scheme", "http", ":path", "/method", ":authority", "hello.localhost"}};
        for (String[] fields : hostile) {
            try (RawHttp2 client = new RawHttp2(router.port())) {
                client.headers(1, true, fields);
                RawHttp2.Frame answer = client.awaitAnswer(1);

                // A 400, a reset stream or connection (GOAWAY, or closed: null): never the app's answer.
                if (answer != null && answer.type() == HEADERS) {
                    assertThat(answer.status()).as(fields[5]).isEqualTo("400");
                } else if (answer != null) {
                    assertThat(answer.type()).as(fields[5] + ": " + answer).isIn(RST_STREAM, GOAWAY);
                }
            }
        }
        // The shared rule: a target with a space is answered 400 on both data paths.
        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, true, hostile[0]);
            assertThat(client.awaitAnswer(1).status()).isEqualTo("400");
        }
        assertThat(hello.received()).isEmpty();
    }

    @Test
    void manyStreamsOfOneConnectionEachGetTheirOwnAnswer() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(100), new io.vertx.core.http.PoolOptions().setHttp2MaxSize(1));
        List<io.vertx.core.Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String body = "body " + i + " " + "x".repeat(i * 1000);
            replies.add(client.request(options(router.port(), HttpMethod.POST, "hello.localhost", "/" + i))
                    .compose(request -> read(request.send(Buffer.buffer(body)), request)));
        }
        Futures.await(io.vertx.core.Future.all(replies));

        for (int i = 0; i < 60; i++) {
            Reply reply = replies.get(i).result();
            assertThat(reply.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(reply.body()).isEqualTo("body " + i + " " + "x".repeat(i * 1000));
        }
        assertThat(hello.received()).hasSize(60);
    }

    @Test
    void megabytesGoBothWaysWithinHttp2FlowControl() {
        String body = "0123456789abcdef".repeat(200_000);

        Reply echoed = send(h2c(), router.port(), HttpMethod.POST, "hello.localhost", "/large", body);

        assertThat(echoed.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(echoed.body()).hasSize(body.length()).isEqualTo(body);
        assertThat(hello.lastReceived().body()).isEqualTo(body);
    }

    @Test
    void aHeadAnswerHasNoBodyAndAnExpectContinueIsAnsweredByTheRouter() {
        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, true, ":method", "HEAD", ":scheme", "http", ":path", "/head", ":authority", "hello.localhost");
            List<RawHttp2.Frame> head = new ArrayList<>();
            RawHttp2.Frame frame;
            do {
                frame = client.awaitFrame(on -> on.stream() == 1 || on.type() == GOAWAY);
                head.add(frame);
            } while (frame != null && frame.type() != GOAWAY && (frame.flags() & RawHttp2.END_STREAM) == 0);

            client.headers(3, false, ":method", "POST", ":scheme", "http", ":path", "/expect", ":authority", "hello.localhost",
                    "expect", "100-continue", "content-length", "5");
            RawHttp2.Frame goOn = client.awaitAnswer(3);
            client.data(3, "hello", true);
            RawHttp2.Frame answer = client.awaitAnswer(3);

            assertThat(head).doesNotContainNull();
            assertThat(head.get(0).status()).isEqualTo("200");
            assertThat(head).allSatisfy(each -> assertThat(each.type() == RawHttp2.DATA ? each.payload().length : 0).isZero());
            assertThat(goOn.status()).isEqualTo("100");
            assertThat(answer.status()).isEqualTo("200");
        }
        assertThat(hello.received()).extracting(AppInstance.Received::uri).containsExactly("/head", "/expect");
        assertThat(hello.received().get(1).body()).isEqualTo("hello");
        assertThat(hello.received().get(1).header("Expect")).isNull();
    }

    @Test
    void anH2RequestIsRetriedPastAnUnreachableInstanceAndAnAppThatHangsUpIsH13() {
        scenario.close();
        scenario = new RouterScenario(zooKeeperData.resolve("again"));
        AppInstance alive = scenario.instance("retry.web.2");
        scenario.route("retry", List.of(), scenario.deadEndpoint("retry.web.1"), alive.endpoint());
        scenario.route("hangs", scenario.hangingUpInstance("hangs.web.1"));
        router = scenario.startRouter();
        HttpClient client = h2c();

        for (int i = 0; i < 4; i++) {
            assertThat(send(client, router.port(), HttpMethod.GET, "retry.localhost", "/" + i, null).body())
                    .isEqualTo("retry.web.2");
        }
        Reply hungUp = send(client, router.port(), HttpMethod.GET, "hangs.localhost", "/", null);

        assertThat(alive.received()).hasSize(4);
        assertThat(scenario.lines.awaitLines("retry", 4)).allSatisfy(line -> assertThat(line).contains("status=200"));
        assertThat(hungUp.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(hungUp.status()).isEqualTo(502);
        assertThat(hungUp.body()).contains("H13");
        assertThat(scenario.lines.awaitLine("hangs")).startsWith("at=error code=H13 ");
    }

    @Test
    void aStreamTheClientResetsBeforeItsAnswerIsLoggedAsInterrupted() {
        scenario.close();
        scenario = new RouterScenario(zooKeeperData.resolve("again"));
        AppInstance slow = scenario.slowInstance("slow.web.1", 1000);
        scenario.route("slow", slow);
        hello = scenario.instance("hello.web.1");
        scenario.route("hello", hello);
        router = scenario.startRouter();

        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/wait", ":authority", "slow.localhost");
            await().until(() -> slow.received().size() == 1);
            client.reset(1, RawHttp2.CANCEL);

            assertThat(scenario.lines.awaitLine("slow")).startsWith("at=error code=H27 ").contains(" path=\"/wait\" ");
            client.headers(3, true, ":method", "GET", ":scheme", "http", ":path", "/after", ":authority", "hello.localhost");
            assertThat(client.awaitAnswer(3).status()).isEqualTo("200");
        }
    }

    @Test
    void aStoppingRouterSaysGoawayAndFinishesTheStreamsUnderWay() {
        scenario.close();
        scenario = new RouterScenario(zooKeeperData.resolve("again"));
        AppInstance slow = scenario.slowInstance("slow.web.1", 1500);
        scenario.route("slow", slow);
        scenario.configure = config -> config.withDrain(Duration.ofSeconds(10));
        router = scenario.startRouter();

        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/report", ":authority", "slow.localhost");
            await().until(() -> slow.received().size() == 1);

            io.vertx.core.Future<Void> stopped = router.stop();

            RawHttp2.Frame goaway = client.awaitFrame(frame -> frame.type() == GOAWAY);
            assertThat(goaway).isNotNull();
            assertThat(goaway.errorCode()).isZero();
            RawHttp2.Frame answer = client.awaitAnswer(1);
            assertThat(answer.status()).isEqualTo("200");
            assertThat(client.closedWithin(Duration.ofSeconds(10))).isTrue();
            Futures.await(stopped);
        }
        assertThat(scenario.lines.awaitLine("slow")).contains(" path=\"/report\" ").contains(" status=200 ");
    }

    @Test
    void aHeaderListOver8KbIsRefused() {
        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "hello.localhost",
                    "x-big", "x".repeat(9000));
            RawHttp2.Frame answer = client.awaitAnswer(1);

            assertThat(answer).isNotNull();
            if (answer.type() == HEADERS) {
                assertThat(answer.status()).isEqualTo("431");
            } else {
                assertThat(answer.type()).as(answer.toString()).isIn(RST_STREAM, GOAWAY);
            }
        }
        assertThat(hello.received()).isEmpty();
    }

    @Test
    void aHeaderBlockContinuedWithoutEndIsCutOffAtTheHeaderListLimit() {
        // The CONTINUATION flood (CVE-2024-27316): a header block that never ends must not be buffered without bound.
        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.frame(HEADERS, 0, 1, new byte[0]);
            byte[] kilobyte = new byte[1024];
            java.util.Arrays.fill(kilobyte, (byte) 0x40);
            for (int i = 0; i < 64; i++) {
                client.frame(9, 0, 1, kilobyte);
            }
            RawHttp2.Frame goaway = client.awaitFrame(frame -> frame.type() == GOAWAY);

            assertThat(goaway).isNotNull();
            assertThat(goaway.errorCode()).isNotZero();
            assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(hello.received()).isEmpty();
    }

    @Test
    void atMost128StreamsAreOpenAtOnceOnAConnection() {
        AppInstance silent = scenario.silentInstance("slow.web.1");
        scenario.route("slow", silent);
        try (RawHttp2 probe = new RawHttp2(router.port())) {
            // Until the route is in force, each stream would get a 404 at once and never stay open.
            int[] stream = {1};
            await().until(() -> {
                probe.headers(stream[0], true, ":method", "GET", ":scheme", "http", ":path", "/probe", ":authority", "slow.localhost");
                stream[0] += 2;
                return !silent.received().isEmpty();
            });
        }
        try (RawHttp2 client = new RawHttp2(router.port())) {
            for (int i = 0; i < 129; i++) {
                client.headers(1 + 2 * i, true, ":method", "GET", ":scheme", "http", ":path", "/" + i, ":authority", "slow.localhost");
            }
            RawHttp2.Frame refused = client.awaitFrame(frame -> frame.type() == RST_STREAM || frame.type() == GOAWAY);

            assertThat(refused).isNotNull();
            assertThat(refused.type()).as(refused.toString()).isEqualTo(RST_STREAM);
            assertThat(refused.stream()).isEqualTo(1 + 2 * 128);
            assertThat(refused.errorCode()).isEqualTo(RawHttp2.REFUSED_STREAM);
        }
        assertThat(silent.received()).extracting(AppInstance.Received::uri).doesNotContain("/128");
    }

    @Test
    void aFloodOfStreamsOpenedAndResetClosesTheConnection() {
        try (RawHttp2 client = new RawHttp2(router.port())) {
            for (int i = 0; i < 1000; i++) {
                int stream = 1 + 2 * i;
                client.headers(stream, false, ":method", "POST", ":scheme", "http", ":path", "/", ":authority", "hello.localhost");
                client.reset(stream, RawHttp2.CANCEL);
            }
            RawHttp2.Frame goaway = client.awaitFrame(frame -> frame.type() == GOAWAY);

            assertThat(goaway).isNotNull();
            assertThat(goaway.errorCode()).isEqualTo(RawHttp2.ENHANCE_YOUR_CALM);
            assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void anIdleH2ConnectionIsClosedAfterTheKeepAliveTimeoutAndASilentOneAfterTheHeaderTimeout() {
        scenario.close();
        scenario = new RouterScenario(zooKeeperData.resolve("again"));
        hello = scenario.instance("hello.web.1");
        scenario.route("hello", hello);
        router = scenario.startRouter(RouterScenario.REQUEST_TIMEOUT,
                new RouterConfig.ClientLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 1024));

        try (RawHttp2 silent = new RawHttp2(router.port()); RawHttp2 used = new RawHttp2(router.port())) {
            used.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "hello.localhost");
            assertThat(used.awaitAnswer(1).status()).isEqualTo("200");

            assertThat(silent.closedWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(used.closedWithin(Duration.ofSeconds(10))).isTrue();
        }
        try (RawClient partial = new RawClient(router.port())) {
            partial.send("PRI * HTTP/2.0\r\n");
            assertThat(partial.readUntilClosed(Duration.ofSeconds(10)).closed()).isTrue();
        }
    }

    @Test
    void aStreamWhoseBodyPausesLongerThanTheBodyTimeoutIsResetAndTheConnectionGoesOn() {
        scenario.close();
        scenario = new RouterScenario(zooKeeperData.resolve("again"));
        hello = scenario.instance("hello.web.1");
        scenario.route("hello", hello);
        router = scenario.startRouter(RouterScenario.REQUEST_TIMEOUT,
                new RouterConfig.ClientLimits(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30), 1024));

        try (RawHttp2 client = new RawHttp2(router.port())) {
            client.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/slow", ":authority", "hello.localhost",
                    "content-length", "10");
            client.data(1, "12345", false);
            RawHttp2.Frame reset = client.awaitEnd(1);
            client.headers(3, true, ":method", "GET", ":scheme", "http", ":path", "/after", ":authority", "hello.localhost");
            RawHttp2.Frame after = client.awaitAnswer(3);

            assertThat(reset.type()).as(reset.toString()).isEqualTo(RST_STREAM);
            assertThat(reset.errorCode()).isEqualTo(RawHttp2.CANCEL);
            assertThat(after.status()).isEqualTo("200");
        }
        assertThat(hello.received()).extracting(AppInstance.Received::uri).containsExactly("/after");
    }

    @Test
    void theRouterLineOfAnH2RequestSaysItsProtocol() {
        scenario.close();
        scenario = new RouterScenario(zooKeeperData.resolve("again"));
        hello = scenario.instance("hello.web.1");
        scenario.route("hello", hello);
        router = scenario.startRouter();

        send(h2c(), router.port(), HttpMethod.GET, "hello.localhost", "/logged", null);

        assertThat(scenario.lines.awaitLine("hello")).contains("method=GET path=\"/logged\"").contains("status=200")
                .endsWith("protocol=http");
    }

    private HttpClient h2c() {
        return vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    }

    private static RequestOptions options(int port, HttpMethod method, String host, String path) {
        return new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .setHost(host)
                .setPort(port)
                .setMethod(method)
                .setURI(path);
    }

    private static Reply send(HttpClient client, int port, HttpMethod method, String host, String path, String body) {
        return Futures.await(client.request(options(port, method, host, path))
                .compose(request -> read(body == null ? request.send() : request.send(Buffer.buffer(body)), request)));
    }

    /** Reads the reply in the callback that sent the request (see RouterScenario.readReply). */
    private static io.vertx.core.Future<Reply> read(io.vertx.core.Future<io.vertx.core.http.HttpClientResponse> response,
                                                    io.vertx.core.http.HttpClientRequest request) {
        return response.compose(head -> head.body().map(content -> new Reply(head.version(), head.statusCode(), head.headers(),
                content.toString(), subject(head.request().connection()))));
    }

    private static String subject(io.vertx.core.http.HttpConnection connection) {
        if (!connection.isSsl()) {
            return null;
        }
        try {
            List<java.security.cert.Certificate> chain = new ArrayList<>(connection.peerCertificates());
            return ((X509Certificate) chain.get(0)).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            throw new AssertionError(e);
        }
    }
}
