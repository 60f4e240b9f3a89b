package dev.slipway.router.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * The router's own answers. For an app ({@link RouterError}: 404, H12, H13, H14, H19, H21) a short
 * page with the code, a sentence and the request id: HTML, or JSON when the client's Accept prefers
 * it, or text when it prefers text/plain ({@link ErrorPage}). A request the router cannot read (400)
 * gets one line of text/plain.
 */
final class ErrorReply {
    private static final String TEXT = "text/plain; charset=utf-8";

    private ErrorReply() {
    }

    /** Answers {@code error} directly, before any proxying started. */
    static void send(HttpServerResponse response, String accept, RouterError error, Exchange exchange) {
        ErrorPage page = ErrorPage.of(error, exchange.requestId(), accept);
        response.setStatusCode(error.status());
        headers(response.headers(), page);
        response.putHeader(RequestId.HEADER, exchange.requestId()).end(page.body());
    }

    /** Answers a request the router could not read with one line of text, before any proxying started. */
    static void refuse(HttpServerResponse response, int status, Exchange exchange, String message) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, TEXT)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader(RequestId.HEADER, exchange.requestId())
                .end(message + "\n");
    }

    private static void headers(io.vertx.core.MultiMap headers, ErrorPage page) {
        headers.set(HttpHeaders.CONTENT_TYPE, page.contentType())
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaders.CACHE_CONTROL, "no-store")
                .set(HttpHeaders.VARY, "Accept");
    }
}
