package dev.slipway.framework.logs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a router posts to {@code POST /router-log-lines}: one line per request it served,
 * {@code <app> <timestamp> <message>} (the router's own time, UTC with microseconds), read into
 * each app's {@code <timestamp> slipway[router]: <message>} lines, as Heroku writes
 * {@code heroku[router]}. The source is who posted them, a router, whatever the message says.
 */
public final class RouterLines {
    /** The dyno of a router's lines: {@code slipway[router]}. */
    public static final String DYNO = "router";

    private RouterLines() {
    }

    /**
     * The lines of {@code body}, by app, each app's in the order posted. A line without an app and
     * a message is dropped; one whose timestamp cannot be read is stamped {@code arrived}, its
     * text after the app kept whole as the message.
     */
    public static Map<String, List<LogLine>> parse(List<String> body, Instant arrived) {
        Map<String, List<LogLine>> byApp = new LinkedHashMap<>();
        String lastApp = null;
        List<LogLine> lastLines = null;
        for (String line : body) {
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1) {
                continue;
            }
            LogLine read = read(line, space, arrived);
            // A batch holds long runs of one app's lines: look the app up again only when it changes.
            if (lastApp == null || !line.regionMatches(0, lastApp, 0, space) || lastApp.length() != space) {
                lastApp = line.substring(0, space);
                lastLines = byApp.computeIfAbsent(lastApp, a -> new ArrayList<>());
            }
            lastLines.add(read);
        }
        return byApp;
    }

    /**
     * One line after its app. A router stamps its lines exactly as a log line's timestamp reads
     * ({@code 2026-12-07T19:00:56.123456+00:00}): such a stamp, checked character by character, is
     * copied as it is, which spares parsing and formatting it again for each of thousands of lines
     * a second. Any other stamp goes through the full parser.
     */
    private static LogLine read(String line, int space, Instant arrived) {
        int start = space + 1;
        int next = line.indexOf(' ', start);
        if (next - start == CANONICAL_LENGTH && isCanonical(line, start) && next + 1 <= line.length()) {
            String text = line.substring(start, next) + " slipway[" + DYNO + "]: " + line.substring(next + 1);
            return new LogLine(LogLine.truncate(text), "slipway", DYNO);
        }
        String rest = line.substring(start);
        int gap = rest.indexOf(' ');
        Instant at = gap > 0 ? instant(rest.substring(0, gap)) : null;
        String message = at == null ? rest : rest.substring(gap + 1);
        return LogLine.of(at == null ? arrived : at, "slipway", DYNO, message);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSSSS+00:00}: 32 characters. */
    private static final int CANONICAL_LENGTH = 32;

    /** Whether {@code line} holds, from {@code at}, a valid UTC timestamp in exactly the form a log line's has. */
    static boolean isCanonical(String line, int at) {
        if (line.length() < at + CANONICAL_LENGTH || !line.startsWith("+00:00", at + 26)) {
            return false;
        }
        for (int i = 0; i < 26; i++) {
            char c = line.charAt(at + i);
            char expected = switch (i) {
                case 4, 7 -> '-';
                case 10 -> 'T';
                case 13, 16 -> ':';
                case 19 -> '.';
                default -> '0';
            };
            if (expected == '0' ? c < '0' || c > '9' : c != expected) {
                return false;
            }
        }
        int year = number(line, at, 4);
        int month = number(line, at + 5, 2);
        int day = number(line, at + 8, 2);
        return month >= 1 && month <= 12 && day >= 1 && day <= java.time.Month.of(month).length(java.time.Year.isLeap(year))
                && number(line, at + 11, 2) < 24 && number(line, at + 14, 2) < 60 && number(line, at + 17, 2) < 60;
    }

    private static int number(String text, int at, int digits) {
        int value = 0;
        for (int i = 0; i < digits; i++) {
            value = value * 10 + (text.charAt(at + i) - '0');
        }
        return value;
    }

    private static Instant instant(String timestamp) {
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
