package dev.slipway.router.proxy;

/**
 * What the router knows about one request before it reaches an app.
 *
 * @param requestId   the X-Request-Id sent to the app and back to the client
 * @param startMillis when the router received the request (epoch milliseconds), for X-Request-Start
 */
record Exchange(String requestId, long startMillis) {
}
