package dev.slipway.framework.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of the stream: its place in the log ({@code <term>-<seq>}), its type, the app it is
 * about, when it happened, and its JSON as clients get it ({@code {"id", "type", "app", "at", ...}}),
 * made once when it is published.
 */
public record Event(String term, long seq, String type, String app, Instant at, String json) {
    public Event {
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(json, "json");
    }

    /** The event's id, as SSE's {@code id:} and {@code Last-Event-ID} carry it. */
    public String id() {
        return term + "-" + seq;
    }
}
