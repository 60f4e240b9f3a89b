package dev.slipway.router.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/** The router's own answers (404, 502, 503, 504): a short text/plain sentence. */
final class ErrorReply {
    private static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    private static final MediaType TEXT_PLAIN = MediaType.parse(CONTENT_TYPE);

    private ErrorReply() {
    }

    /** Answers directly, before any proxying started. */
    static void send(HttpServerResponse response, int status, Exchange exchange, String message) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader(RequestId.HEADER, exchange.requestId())
                .end(message + "\n");
    }

    /** A response to hand back through the proxy in place of the app's. */
    static ProxyResponse proxied(ProxyContext context, int status, String message) {
        ProxyRequest request = context.request();
        if (request.getBody() != null) {
            // Lets any unsent request body drain instead of stalling the client's connection.
            request.release();
        }
        return request.response()
                .setStatusCode(status)
                .putHeader("X-Content-Type-Options", "nosniff")
                .setBody(Body.body(Buffer.buffer(message + "\n"), TEXT_PLAIN));
    }
}
