package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.router.RawClient.Answer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests framed ambiguously or not at all, sent on raw sockets to a router in front of a backend
 * that records every byte: none of them reaches the backend, each is answered as nginx would (or
 * stricter) and the connection is closed, so the bytes after it are never read as a request.
 */
class RouterFramingTest extends WithRecordingBackend {
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: hello.localhost\r\n\r\n";

    @Test
    void refusesARequestWithBothContentLengthAndTransferEncoding() {
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n" + SMUGGLED);
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                + "0\r\n\r\n" + SMUGGLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xchunked", "chunked, identity", "identity", "gzip, chunked", "chunked;q=1", "\"chunked\""})
    void refusesATransferEncodingOtherThanChunkedWith501(String encoding) {
        assertRefused(501, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: " + encoding + "\r\n\r\n"
                + "0\r\n\r\n" + SMUGGLED);
    }

    @Test
    void refusesTransferEncodingInAnHttp10Request() {
        assertRefused(400, "POST / HTTP/1.0\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED);
    }

    @Test
    void refusesTwoTransferEncodingHeaders() {
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n" + SMUGGLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5, 5", "+5", "-1", "0x5", "5 5", "99999999999999999999"})
    void refusesAnInvalidContentLength(String length) {
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: " + length + "\r\n\r\nhello" + SMUGGLED);
    }

    @Test
    void refusesTwoContentLengthHeadersEvenWhenTheyAgree() {
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED);
    }

    @Test
    void refusesAChunkSizeWiderThan64Bits() {
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "10000000000000000000000000000000005\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8000000000000000\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-5", "0x5", " 5", "", "5 x", "5;", "5;a=\u0001", "5;a=\"b"})
    void refusesAnInvalidChunkSizeLine(String line) {
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + line + "\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    }

    @Test
    void acceptsChunkExtensionsAndTrailersAndPassesTheBodyOn() {
        Answer answer = RawClient.exchange(port, "POST /upload HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n"
                + "5;name=value ; other=\"quoted;\\\"x\"\r\nhello\r\n000006;last\r\n world\r\n0\r\nX-Checksum: 1\r\n\r\n");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(answer.text()).endsWith("hello world");
        assertThat(backend.requests()).singleElement()
                .satisfies(request -> assertThat(request.body()).isEqualTo("hello world"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\nHost: hello.localhost\n\n",
            "GET / HTTP/1.1\r\nHost: hello.localhost\nX-Other: 1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: hello.localhost\r\n\n",
            "GET / HTTP/1.1\r\nHost: hello.local\rhost\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
    })
    void refusesBareLineFeedsAndCarriageReturns(String request) {
        assertRefused(400, request + SMUGGLED);
    }

    @Test
    void refusesAFoldedHeaderLine() {
        assertRefused(400, "GET / HTTP/1.1\r\nHost: hello.localhost\r\nX-Folded: one\r\n two\r\n\r\n" + SMUGGLED);
        assertRefused(400, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 0\r\n\tTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host : hello.localhost", "Transfer-Encoding : chunked", "Content-Length\t: 5", "X-Any : 1"})
    void refusesWhitespaceBeforeTheColon(String header) {
        String host = header.startsWith("Host") ? "" : "Host: hello.localhost\r\n";
        assertRefused(400, "POST / HTTP/1.1\r\n" + host + header + "\r\n\r\n0\r\n\r\n" + SMUGGLED);
    }

    @Test
    void refusesTwoHostHeaders() {
        assertRefused(400, "GET / HTTP/1.1\r\nHost: hello.localhost\r\nHost: other.localhost\r\n\r\n" + SMUGGLED);
    }

    @Test
    void refusesAnHttp11RequestWithoutHost() {
        assertRefused(400, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n" + SMUGGLED);
    }

    @Test
    void refusesConnectWithoutForwardingIt() {
        Answer answer = assertRefused(405, "CONNECT hello.localhost:80 HTTP/1.1\r\nHost: hello.localhost:80\r\n\r\n" + SMUGGLED);
        assertThat(answer.text()).containsIgnoringCase("Allow: GET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/2.0", "GET / HTTP/1.1 x", "GET  / HTTP/1.1", "GET hello HTTP/1.1", "G(T / HTTP/1.1",
            "GET * HTTP/1.1"})
    void refusesAMalformedRequestLine(String requestLine) {
        Answer answer = RawClient.exchange(port, requestLine + "\r\nHost: hello.localhost\r\n\r\n" + SMUGGLED);
        assertThat(answer.statusLine()).matches("HTTP/1\\.1 (400|505) .*");
        assertThat(answer.closed()).isTrue();
        assertThat(backend.bytes()).isEmpty();
    }

    @Test
    void neverReadsTheBytesAfterARefusedRequestEvenBehindAGoodOne() {
        Answer answer = RawClient.exchange(port, "GET /first HTTP/1.1\r\nHost: hello.localhost\r\n\r\n"
                + "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + SMUGGLED);

        assertThat(answer.text()).startsWith("HTTP/1.1 200 OK").contains("HTTP/1.1 501 ");
        assertThat(answer.closed()).isTrue();
        assertThat(RawBackend.targets(backend.requests())).containsExactly("/first");
        assertThat(backend.bytes()).doesNotContain("/smuggled");
    }

    @Test
    void closesTheConnectionWhenABodyAlreadyOnItsWayTurnsOutBadlyFramed() {
        Answer answer = RawClient.exchange(port, "POST / HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\nzz\r\n0\r\n\r\n" + SMUGGLED);

        assertThat(answer.closed()).isTrue();
        assertThat(backend.requests()).isEmpty();
        assertThat(backend.bytes()).doesNotContain("/smuggled");
    }

    @Test
    void readsTheNextRequestAfterAnUpgradeTheRouterAnsweredItself() {
        Answer answer = RawClient.exchange(port, "GET /socket HTTP/1.1\r\nHost: nowhere.localhost\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
                + "GET /after HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.statusLine()).startsWith("HTTP/1.1 404 ");
        assertThat(answer.text()).contains("HTTP/1.1 200 OK");
        assertThat(answer.closed()).isTrue();
        assertThat(RawBackend.targets(backend.requests())).containsExactly("/after");
    }

    @Test
    void passesPipelinedRequestsOnInOrder() {
        Answer answer = RawClient.exchange(port, "GET /one HTTP/1.1\r\nHost: hello.localhost\r\n\r\n"
                + "POST /two HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 3\r\n\r\nabc"
                + "\r\nPOST /three HTTP/1.1\r\nHost: hello.localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "3\r\ndef\r\n0\r\n\r\n");

        assertThat(answer.text().split("HTTP/1.1 200 OK", -1)).hasSize(4);
        assertThat(answer.text()).endsWith("def");
        assertThat(RawBackend.targets(backend.requests())).containsExactly("/one", "/two", "/three");
    }

    @Test
    void routesAnAbsoluteFormRequestByItsOwnAuthorityAndSendsItInOriginForm() {
        Answer answer = RawClient.exchange(port, "GET http://Hello.localhost:8080/greet?who=you HTTP/1.1\r\n"
                + "Host: other.localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        RawBackend.Request seen = backend.requests().get(0);
        assertThat(seen.target()).isEqualTo("/greet?who=you");
        assertThat(seen.header("Host")).isEqualTo("Hello.localhost:8080");
    }

    @Test
    void aClientStillSendingAfterItsRefusalReadsTheRefusalNotAReset() {
        try (RawClient client = new RawClient(port)) {
            client.send("POST / HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 3\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            // Bytes that arrive after the router decided to close: without a lingering close the
            // kernel answers them with a reset, which can destroy the 400 before it is read.
            for (int i = 0; i < 16; i++) {
                try {
                    client.send(SMUGGLED.repeat(64));
                } catch (java.io.UncheckedIOException closed) {
                    break;
                }
            }
            Answer answer = client.readUntilClosed(Duration.ofSeconds(5));

            assertThat(answer.statusLine()).startsWith("HTTP/1.1 400 ");
            assertThat(answer.closed()).isTrue();
        }
        assertThat(backend.bytes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://user@hello.localhost/", "http:///path", "http://hello.localhost:port/"})
    void refusesAnAbsoluteFormTargetWithoutAPlainAuthority(String target) {
        Answer answer = RawClient.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: hello.localhost\r\n\r\n" + SMUGGLED);

        assertThat(answer.statusLine()).startsWith("HTTP/1.1 400 ");
        assertThat(answer.closed()).isTrue();
        assertThat(backend.bytes()).isEmpty();
    }

    @Test
    void answersOptionsStarItselfAndKeepsTheConnectionOpen() {
        Answer answer = RawClient.exchange(port, "OPTIONS * HTTP/1.1\r\nHost: hello.localhost\r\n\r\n"
                + "GET /after HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(answer.text()).containsIgnoringCase("Allow: GET, HEAD, POST");
        assertThat(RawBackend.targets(backend.requests())).containsExactly("/after");
    }

    @Test
    void xForwardedPortIsThePortTheClientConnectedToWhateverHostSays() {
        RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: hello.localhost:8443\r\nConnection: close\r\n\r\n");

        assertThat(backend.requests().get(0).header("X-Forwarded-Port")).isEqualTo(Integer.toString(port));
    }

    private Answer assertRefused(int status, String request) {
        Answer answer = RawClient.exchange(port, request);
        assertThat(answer.statusLine()).as("status line").startsWith("HTTP/1.1 " + status + " ");
        assertThat(answer.text()).containsIgnoringCase("connection: close");
        assertThat(answer.closed()).as("the router closed the connection").isTrue();
        assertThat(backend.bytes()).as("what reached the backend").isEmpty();
        assertThat(backend.connections()).as("connections to the backend").isZero();
        return answer;
    }
}
