package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RawClient.Answer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Headers that concern one connection stop at the router, both ways (RFC 9110 §7.6.1): the fixed
 * ones and those a {@code Connection} header names; a {@code Connection} naming the headers that
 * frame or route a request removes nothing. Transfer-Encoding is one of them: an app's chunked
 * answer reaches an HTTP/1.0 client unchunked, ended by the connection's close.
 */
class HopByHopHeadersTest extends WithRecordingBackend {
    /** Until the router has read the route just written, it answers 404 for the host. */
    private void awaitRouted(String host) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !RawClient.exchange(port,
                "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").statusLine().contains(" 404 "));
    }

    @Test
    void theHeadersTheClientsConnectionNamesAndTheFixedHopByHopOnesDoNotReachTheApp() {
        Answer answer = RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: hello.localhost\r\n"
                + "Connection: X-Session-Token, keep-alive\r\nX-Session-Token: secret\r\nKeep-Alive: timeout=5\r\n"
                + "TE: trailers\r\nProxy-Authorization: Basic eDp5\r\nX-Kept: yes\r\n\r\n"
                + "GET /last HTTP/1.1\r\nHost: hello.localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        RawBackend.Request seen = backend.requests().get(0);
        assertThat(seen.header("X-Kept")).isEqualTo("yes");
        assertThat(seen.headers()).doesNotContainKeys("x-session-token", "keep-alive", "te", "proxy-authorization");
        assertThat(String.valueOf(seen.header("Connection"))).doesNotContainIgnoringCase("x-session-token");
    }

    @Test
    void aConnectionNamingTheHeadersThatFrameOrRouteTheRequestRemovesNone() {
        Answer answer = RawClient.exchange(port, "POST /form HTTP/1.1\r\nHost: hello.localhost\r\n"
                + "Connection: Content-Length, Host, X-Forwarded-For, X-Request-Id, close\r\nContent-Length: 3\r\n\r\nabc");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(answer.text()).endsWith("\r\n\r\nabc");
        RawBackend.Request seen = backend.requests().get(0);
        assertThat(seen.body()).isEqualTo("abc");
        assertThat(seen.header("Host")).isEqualTo("hello.localhost");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Request-Id")).isNotBlank();
        assertThat(backend.requests()).hasSize(1);
    }

    @Test
    void theHeadersTheAppsConnectionNamesDoNotReachTheClient() {
        try (ScriptedApp app = new ScriptedApp("HTTP/1.1 200 OK\r\nConnection: X-Internal, keep-alive\r\n"
                + "X-Internal: node-7\r\nKeep-Alive: timeout=5\r\nX-Public: yes\r\nContent-Length: 2\r\n\r\nhi")) {
            scenario.route("own", List.of(), app.endpoint("web.1"));
            awaitRouted("own.localhost");

            Answer answer = RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: own.localhost\r\nConnection: close\r\n\r\n");

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            String head = answer.text().substring(0, answer.text().indexOf("\r\n\r\n")).toLowerCase();
            assertThat(head).contains("x-public: yes").doesNotContain("x-internal", "keep-alive:");
            assertThat(answer.text()).endsWith("\r\n\r\nhi");
        }
    }

    @Test
    void aChunkedAnswerReachesAnHttp10ClientWholeEndedByTheConnectionsClose() {
        try (ScriptedApp app = new ScriptedApp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")) {
            scenario.route("old", List.of(), app.endpoint("web.1"));
            awaitRouted("old.localhost");

            Answer answer = RawClient.exchange(port, "GET / HTTP/1.0\r\nHost: old.localhost\r\nConnection: keep-alive\r\n\r\n");

            assertThat(answer.statusLine()).startsWith("HTTP/1.0 200");
            assertThat(answer.text().toLowerCase()).doesNotContain("transfer-encoding");
            assertThat(answer.text()).endsWith("\r\n\r\nhello world");
            assertThat(answer.closed()).isTrue();
        }
    }
}
