package dev.slipway.router.log;

/**
 * Where the router's own lines about each request go: Heroku's router lines
 * ({@code at=info method=GET path="/" host=... status=200 ...}, {@code at=error code=H12 ...}),
 * one per request, into the stream of the app that was asked for, so that {@code slipway logs -s router}
 * shows them, and into the metrics. A line comes as its fields ({@link RouterLine}): it is formatted
 * only where it is shipped, off the request's way. Called on event loops: an implementation never
 * blocks (it queues and ships elsewhere).
 */
@FunctionalInterface
public interface RouterLog {
    /** Drops every line: a router without a log destination. */
    RouterLog NONE = (app, line) -> { };

    /**
     * @param app  the app the request was routed to
     * @param line the request's line
     */
    void line(String app, RouterLine line);

    /** How many lines this log dropped since it started (a full queue, say): 0 for one that never drops. */
    default long dropped() {
        return 0;
    }

    /**
     * Each line to {@code first}, then to {@code second} (the log shipper and the metrics, say);
     * {@link #NONE} on either side is left out, so that a router with neither still skips the lines.
     */
    static RouterLog tee(RouterLog first, RouterLog second) {
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return new RouterLog() {
            @Override
            public void line(String app, RouterLine line) {
                first.line(app, line);
                second.line(app, line);
            }

            @Override
            public long dropped() {
                return first.dropped() + second.dropped();
            }
        };
    }
}
