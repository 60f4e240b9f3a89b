package dev.slipway.router.proxy;

import dev.slipway.router.trace.RequestPhases;

/**
 * What the router knows about one request before it reaches an app.
 *
 * @param requestId   the X-Request-Id sent to the app and back to the client
 * @param startMillis when the router received the request (epoch milliseconds), for X-Request-Start
 * @param phases      where the request tells when it reached each phase (started when its head was read)
 */
record Exchange(String requestId, long startMillis, RequestPhases phases) {
    /** A request whose phases nobody records (the router answers it itself). */
    Exchange(String requestId, long startMillis) {
        this(requestId, startMillis, RequestPhases.NONE);
    }
}
