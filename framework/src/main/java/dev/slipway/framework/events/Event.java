package dev.slipway.framework.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of the stream: its place in the log ({@code <term>-<seq>}), its type, the app it is
 * about, when it happened, and its JSON as clients get it ({@code {"id", "type", "app", "at", ...}}),
 * made once when it is published.
 *
 * @param team the team of its app when the publisher said it (an {@code app.created} event does:
 *             event streams learn of a new app's team by it); null otherwise
 */
public record Event(String term, long seq, String type, String app, Instant at, String json, String team) {
    public Event {
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(json, "json");
    }

    /** An event that names no team. */
    public Event(String term, long seq, String type, String app, Instant at, String json) {
        this(term, seq, type, app, at, json, null);
    }

    /** The event's id, as SSE's {@code id:} and {@code Last-Event-ID} carry it. */
    public String id() {
        return term + "-" + seq;
    }
}
