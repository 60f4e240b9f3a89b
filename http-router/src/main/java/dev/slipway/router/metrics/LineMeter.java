package dev.slipway.router.metrics;

import dev.slipway.router.log.RouterLog;

/**
 * Counts each router line ({@code at=info ... connect=1ms service=5ms status=200 bytes=123 protocol=http},
 * {@code at=error code=H12 desc="Request timeout" ...}) into the metrics. The fields it reads are the
 * router's own: the code right after {@code at=error code=}, the rest from the end of the line, after
 * every value a client chose (path, host, X-Forwarded-For), which the line quotes and escapes. A line
 * that is not of that form is not counted.
 */
final class LineMeter implements RouterLog {
    private static final String ERROR = "at=error code=";

    private final RouterMetrics metrics;

    LineMeter(RouterMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void line(String app, String line) {
        if (app == null || line == null) {
            return;
        }
        int protocol = line.lastIndexOf(" protocol=");
        int bytes = protocol < 0 ? -1 : line.lastIndexOf(" bytes=", protocol);
        int status = bytes < 0 ? -1 : line.lastIndexOf(" status=", bytes);
        int service = status < 0 ? -1 : line.lastIndexOf(" service=", status);
        int connect = service < 0 ? -1 : line.lastIndexOf(" connect=", service);
        if (connect < 0) {
            return;
        }
        int statusCode = (int) number(line, status + " status=".length(), bytes);
        if (statusCode < 0) {
            return;
        }
        metrics.requestEnded(app, statusCode, code(line),
                number(line, connect + " connect=".length(), service),
                number(line, service + " service=".length(), status),
                number(line, bytes + " bytes=".length(), protocol));
    }

    /** Heroku's code ({@code H12}) of an error line, or null. */
    private static String code(String line) {
        if (!line.startsWith(ERROR)) {
            return null;
        }
        int from = ERROR.length();
        int to = line.indexOf(' ', from);
        if (to != from + 3 || line.charAt(from) != 'H'
                || !Character.isDigit(line.charAt(from + 1)) || !Character.isDigit(line.charAt(from + 2))) {
            return null;
        }
        return line.substring(from, to);
    }

    /** The decimal number at {@code from} (a trailing {@code ms} allowed) before {@code to}; -1 for none. */
    private static long number(String line, int from, int to) {
        if (to - 2 >= from && line.charAt(to - 2) == 'm' && line.charAt(to - 1) == 's') {
            to -= 2;
        }
        if (from >= to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
