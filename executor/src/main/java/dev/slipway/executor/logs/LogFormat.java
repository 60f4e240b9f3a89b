package dev.slipway.executor.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Heroku's log line: {@code 2026-01-02T03:04:05.123456+00:00 app[web.1]: text}, a UTC timestamp
 * with microseconds, the source ({@code app} for what the app writes, {@code slipway} for what
 * Slipway says about it), the dyno, and the text.
 */
public final class LogFormat {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    private LogFormat() {
    }

    public static String line(Instant at, String source, String dyno, String text) {
        return TIMESTAMP.format(at) + " " + source + "[" + dyno + "]: " + text;
    }
}
