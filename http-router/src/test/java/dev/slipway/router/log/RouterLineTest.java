package dev.slipway.router.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

public class RouterLineTest {
    private static final String[] FIELDS = {"at", "method", "path", "host", "request_id", "fwd", "dyno", "connect",
            "service", "status", "bytes", "protocol"};

    private static RouterLine line(String path, String host, String forwardedFor) {
        return new RouterLine(null, null, "GET", path, host, "abc-123", forwardedFor, "web.1", 1, 5, 200, 123, "http");
    }

    @Test
    void writesARequestThatWentThroughInHerokusForm() {
        assertThat(line("/", "hello.localhost", "127.0.0.1").format())
                .isEqualTo("at=info method=GET path=\"/\" host=hello.localhost request_id=abc-123 fwd=\"127.0.0.1\" "
                        + "dyno=web.1 connect=1ms service=5ms status=200 bytes=123 protocol=http");
    }

    @Test
    void writesAnErrorWithItsCodeAndDescriptionAndLeavesWhatDidNotHappenEmpty() {
        RouterLine line = new RouterLine("H14", "No web dynos running", "GET", "/", "idle.localhost", "abc-123", "127.0.0.1", "",
                -1, -1, 503, 0, "https");

        assertThat(line.format()).isEqualTo("at=error code=H14 desc=\"No web dynos running\" method=GET path=\"/\" "
                + "host=idle.localhost request_id=abc-123 fwd=\"127.0.0.1\" dyno= connect= service= status=503 bytes=0 protocol=https");
    }

    @Test
    void aHostilePathCannotEndTheLineOrAddAField() {
        String hostile = "/x\" status=200 dyno=\"evil\nat=info method=GET path=\"/\u0000\u001b[31m\\\u00ff\u20ac";

        String formatted = line(hostile, "hello.localhost", "127.0.0.1").format();

        assertThat(formatted).doesNotContain("\n", "\r", "\u0000", "\u001b");
        assertThat(formatted).contains("path=\"/x\\\" status=200 dyno=\\\"evil\\x0aat=info method=GET path=\\\"/\\x00\\x1b[31m\\\\\\xff\\u20ac\" ");
        Map<String, String> fields = Logfmt.parse(formatted);
        assertThat(fields.keySet()).containsExactly(FIELDS);
        assertThat(fields).containsEntry("at", "info").containsEntry("status", "200").containsEntry("dyno", "web.1");
        assertThat(fields.get("path")).startsWith("/x\" status=200 dyno=\"evil");
    }

    @Test
    void aHostileForwardedForAndHostAreQuotedAndEscaped() {
        String formatted = line("/", "a b=c", "1.2.3.4\" dyno=\"evil").format();

        assertThat(formatted).contains(" host=\"a b=c\" ", " fwd=\"1.2.3.4\\\" dyno=\\\"evil\" ");
        Map<String, String> fields = Logfmt.parse(formatted);
        assertThat(fields.keySet()).containsExactly(FIELDS);
        assertThat(fields).containsEntry("host", "a b=c").containsEntry("fwd", "1.2.3.4\" dyno=\"evil").containsEntry("dyno", "web.1");
    }

    @Test
    void cutsALongPath() {
        String formatted = line("/" + "a".repeat(5000), "hello.localhost", "127.0.0.1").format();

        assertThat(formatted).contains("path=\"/" + "a".repeat(RouterLine.MAX_PATH - 1) + "...\" ");
        assertThat(formatted.length()).isLessThan(RouterLine.MAX_PATH + 300);
    }

    /** A logfmt reader as a log consumer's: {@code key=value} or {@code key="..."} with {@code \\"} and {@code \\\\} escapes. */
    public static final class Logfmt {
        public static Map<String, String> parse(String line) {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            int i = 0;
            while (i < line.length()) {
                int equals = line.indexOf('=', i);
                String key = line.substring(i, equals);
                StringBuilder value = new StringBuilder();
                i = equals + 1;
                if (i < line.length() && line.charAt(i) == '"') {
                    i++;
                    while (line.charAt(i) != '"') {
                        if (line.charAt(i) == '\\') {
                            i++;
                        }
                        value.append(line.charAt(i++));
                    }
                    i++;
                } else {
                    while (i < line.length() && line.charAt(i) != ' ') {
                        value.append(line.charAt(i++));
                    }
                }
                if (fields.put(key, value.toString()) != null) {
                    throw new AssertionError("field " + key + " twice in " + line);
                }
                i++;
            }
            return fields;
        }
    }
}
