package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.router.RawClient.Answer;
import dev.slipway.router.RouterScenario.Reply;
import dev.slipway.router.log.RouterLineTest.Logfmt;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router line of each request, as a running router writes it to its RouterLog. */
class RouterLinesTest extends WithRouterScenario {
    @Test
    void writesOneInfoLinePerRequestInHerokusFormat() {
        scenario.route("hello", scenario.instance("web.1"));
        scenario.startRouter();

        Reply reply = scenario.get("Hello.localhost", "/greet?who=you",
                MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "203.0.113.9"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(scenario.lines.awaitLine("hello")).matches("at=info method=GET path=\"/greet\\?who=you\" "
                + "host=hello.localhost request_id=" + reply.header("X-Request-Id") + " fwd=\"203.0.113.9, 127.0.0.1\" "
                + "dyno=web.1 connect=\\d+ms service=\\d+ms status=200 bytes=5 protocol=http");
        assertThat(scenario.lines.all()).hasSize(1);
    }

    @Test
    void aHostilePathOrForwardedForCannotForgeAFieldOrALine() {
        RawBackend backend = new RawBackend("web.1");
        scenario.route("hello", List.of(), backend.endpoint());
        int port = scenario.startRouter().port();

        Answer answer = RawClient.exchange(port, "GET /a\"b%0A?x=\"\u00ff\\ HTTP/1.1\r\nHost: hello.localhost\r\n"
                + "X-Forwarded-For: 1.2.3.4\" dyno=\"evil status=200\r\nConnection: close\r\n\r\n");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        String line = scenario.lines.awaitLine("hello");
        assertThat(line).doesNotContain("\n", "\r");
        Map<String, String> fields = Logfmt.parse(line);
        assertThat(fields.keySet()).containsExactly("at", "method", "path", "host", "request_id", "fwd", "dyno", "connect",
                "service", "status", "bytes", "protocol");
        assertThat(fields).containsEntry("dyno", "web.1").containsEntry("status", "200")
                .containsEntry("fwd", "1.2.3.4\" dyno=\"evil status=200, 127.0.0.1");
        assertThat(line).contains("path=\"/a\\\"b%0A?x=\\\"\\xff\\\\\" ");
        backend.close();
    }

    @Test
    void logsAnAbsoluteFormRequestByItsOriginFormAndTheAuthorityItWasRoutedBy() {
        RawBackend backend = new RawBackend("web.1");
        scenario.route("hello", List.of(), backend.endpoint());
        int port = scenario.startRouter().port();

        RawClient.exchange(port, "GET http://hello.localhost/path?q=1 HTTP/1.1\r\nHost: other.localhost\r\nConnection: close\r\n\r\n");

        assertThat(scenario.lines.awaitLine("hello")).contains(" path=\"/path?q=1\" host=hello.localhost ");
        backend.close();
    }
}
