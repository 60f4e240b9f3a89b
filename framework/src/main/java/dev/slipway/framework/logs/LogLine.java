package dev.slipway.framework.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of an app's log as Heroku writes it, {@code 2026-01-02T03:04:05.123456+00:00 app[web.1]: text},
 * with its source ({@code app}, {@code slipway}) and dyno ({@code web.1}, {@code api}) read out for
 * filtering. At most {@link #MAX_BYTES} bytes of UTF-8: longer lines are cut.
 */
public record LogLine(String text, String source, String dyno) {
    /** The longest line kept, in UTF-8 bytes (Heroku's logplex keeps 10 KB too). */
    public static final int MAX_BYTES = 10 * 1024;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);
    private static final Pattern FORMAT = Pattern.compile("^\\S+ ([A-Za-z0-9_-]+)\\[([^\\]\\s]+)\\]: ");

    public LogLine {
        if (text == null || source == null || dyno == null) {
            throw new IllegalArgumentException("a log line needs its text, source and dyno");
        }
    }

    /** A line Slipway writes: {@code <at> <source>[<dyno>]: <message>}. */
    public static LogLine of(Instant at, String source, String dyno, String message) {
        return new LogLine(truncate(TIMESTAMP.format(at) + " " + source + "[" + dyno + "]: " + message), source, dyno);
    }

    /**
     * A line as an executor ships it: always the app's own (source {@code app}), whatever it says,
     * since its source is who sent it, not its text. {@code <timestamp> app[<dyno>]: <text>} is kept
     * as it is; one naming another source ({@code slipway[api]: Release v7 created}, as an app could
     * print to pass for Slipway) is kept with {@code app} in its place; any other text is kept as
     * the app's, of dyno {@code unknown}, stamped with {@code arrived}.
     */
    public static LogLine parse(String line, Instant arrived) {
        Matcher matcher = FORMAT.matcher(line);
        if (!matcher.find()) {
            return of(arrived, "app", "unknown", line);
        }
        if (!matcher.group(1).equals("app")) {
            String relabelled = line.substring(0, matcher.start(1)) + "app" + line.substring(matcher.end(1));
            return new LogLine(truncate(relabelled), "app", matcher.group(2));
        }
        return new LogLine(truncate(line), matcher.group(1), matcher.group(2));
    }

    /** {@code text} cut to at most {@link #MAX_BYTES} bytes of UTF-8, never inside a character. */
    static String truncate(String text) {
        if (text.length() * 3L <= MAX_BYTES) {
            return text;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int width;
            if (c < 0x80) {
                width = 1;
            } else if (c < 0x800) {
                width = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                width = 4;
            } else {
                width = 3;
            }
            if (bytes + width > MAX_BYTES) {
                return text.substring(0, i);
            }
            bytes += width;
            if (width == 4) {
                i++;
            }
        }
        return text;
    }
}
