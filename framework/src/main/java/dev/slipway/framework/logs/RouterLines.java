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
        for (String line : body) {
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1) {
                continue;
            }
            String app = line.substring(0, space);
            String rest = line.substring(space + 1);
            int next = rest.indexOf(' ');
            Instant at = next > 0 ? instant(rest.substring(0, next)) : null;
            String message = at == null ? rest : rest.substring(next + 1);
            byApp.computeIfAbsent(app, a -> new ArrayList<>())
                    .add(LogLine.of(at == null ? arrived : at, "slipway", DYNO, message));
        }
        return byApp;
    }

    private static Instant instant(String timestamp) {
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
