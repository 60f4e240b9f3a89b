package dev.slipway.router.metrics;

import dev.slipway.router.log.RouterLine;
import dev.slipway.router.log.RouterLog;

/**
 * Counts each request's router line into the metrics: its status, Heroku's code of the router's
 * error, the connect and service times and the bytes of the answer, read from the line's fields
 * (never from its text, where a client's values stand too).
 */
final class LineMeter implements RouterLog {
    private final RouterMetrics metrics;

    LineMeter(RouterMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void line(String app, RouterLine line) {
        if (app == null || line == null) {
            return;
        }
        metrics.requestEnded(app, line.status(), line.code(), line.connectMillis(), line.serviceMillis(), line.bytes());
    }
}
