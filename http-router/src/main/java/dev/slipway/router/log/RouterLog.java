package dev.slipway.router.log;

/**
 * Where the router's own lines about each request go: Heroku's router lines
 * ({@code at=info method=GET path="/" host=... status=200 ...}, {@code at=error code=H12 ...}),
 * one per request, into the stream of the app that was asked for, so that {@code slipway logs -s router}
 * shows them. Called on event loops: an implementation never blocks (it queues and ships elsewhere).
 */
@FunctionalInterface
public interface RouterLog {
    /** Drops every line: a router without a log destination. */
    RouterLog NONE = (app, line) -> { };

    /**
     * @param app  the app the request was routed to
     * @param line the line without timestamp or source (Heroku's {@code key=value} form)
     */
    void line(String app, String line);
}
