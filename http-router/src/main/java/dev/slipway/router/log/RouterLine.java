package dev.slipway.router.log;

/**
 * One request as Heroku's router logs it:
 * {@code at=info method=GET path="/" host=hello.localhost request_id=... fwd="127.0.0.1" dyno=web.1 connect=1ms service=5ms status=200 bytes=123 protocol=http},
 * with {@code at=error code=H12 desc="Request timeout"} in front for an error. Whatever the client
 * sent (path, host, X-Forwarded-For) is quoted and escaped so that it can neither end the line nor
 * add a field; the path is cut at {@link #MAX_PATH} characters.
 *
 * @param code           Heroku's code of the router's error ({@code H12}), or null for a request that went through
 * @param description    the error's description (Heroku's {@code desc}), or null
 * @param connectMillis  how long the connection to the instance took, or -1 when there was none
 * @param serviceMillis  from the request sent to the instance until the answer ended, or -1 when none was sent
 */
public record RouterLine(String code, String description, String method, String path, String host, String requestId,
                         String forwardedFor, String dyno, long connectMillis, long serviceMillis, int status, long bytes,
                         String protocol) {
    static final int MAX_PATH = 1024;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The line without timestamp or source: what {@code slipway logs -s router} shows after them. */
    public String format() {
        StringBuilder line = new StringBuilder(160 + Math.min(path.length(), MAX_PATH));
        if (code == null) {
            line.append("at=info");
        } else {
            line.append("at=error code=").append(code).append(" desc=\"").append(description).append('"');
        }
        line.append(" method=");
        bare(line, method);
        line.append(" path=");
        quoted(line, path, MAX_PATH);
        line.append(" host=");
        bare(line, host);
        line.append(" request_id=");
        bare(line, requestId);
        line.append(" fwd=");
        quoted(line, forwardedFor, MAX_PATH);
        line.append(" dyno=");
        bare(line, dyno);
        line.append(" connect=");
        if (connectMillis >= 0) {
            line.append(connectMillis).append("ms");
        }
        line.append(" service=");
        if (serviceMillis >= 0) {
            line.append(serviceMillis).append("ms");
        }
        line.append(" status=").append(status).append(" bytes=").append(bytes).append(" protocol=").append(protocol);
        return line.toString();
    }

    /** As is when it is plain (letters, digits, {@code .-_:[]/+=}), else quoted. */
    private static void bare(StringBuilder line, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ".-_:[]/+=".indexOf(c) >= 0;
            if (!plain) {
                quoted(line, value, MAX_PATH);
                return;
            }
        }
        line.append(value);
    }

    /** In double quotes, with {@code "} and {@code \} escaped and anything but printable ASCII as {@code \xHH}. */
    private static void quoted(StringBuilder line, String value, int max) {
        line.append('"');
        if (value != null) {
            int end = Math.min(value.length(), max);
            for (int i = 0; i < end; i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    line.append('\\').append(c);
                } else if (c >= 0x20 && c < 0x7f) {
                    line.append(c);
                } else if (c <= 0xff) {
                    line.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                } else {
                    line.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                }
            }
            if (value.length() > max) {
                line.append("...");
            }
        }
        line.append('"');
    }
}
