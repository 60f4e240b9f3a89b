package dev.slipway.router.proxy;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * What the framing guard refuses in an HTTP/1 head, refused in an HTTP/2 request too, before it is
 * routed: CONNECT (405), a {@code :path} that is neither origin form nor {@code *} for OPTIONS (400),
 * no {@code :authority} nor Host (400, as HTTP/1.1 without Host), more than one Host (400). Netty's
 * HTTP/2 codec already resets a stream with connection-specific headers (RFC 9113 §8.2.2), a
 * content-length the DATA frames disagree with (§8.1.1) or a header list over the limit, and Vert.x one
 * whose {@code :authority} and Host differ (§8.3.1). HTTP/1 requests go straight on.
 */
public final class Http2Requests implements Handler<HttpServerRequest> {
    private final Handler<HttpServerRequest> next;

    public Http2Requests(Handler<HttpServerRequest> next) {
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2) {
            next.handle(request);
            return;
        }
        String refusal = refusal(request);
        if (refusal == null) {
            next.handle(request);
            return;
        }
        Exchange exchange = new Exchange(RequestId.keepOrCreate(request.getHeader(RequestId.HEADER)), System.currentTimeMillis());
        int status = request.method() == HttpMethod.CONNECT ? 405 : 400;
        if (status == 405) {
            request.response().putHeader(HttpHeaders.ALLOW, ProxyHandler.ALLOWED_METHODS);
        }
        ErrorReply.refuse(request.response(), status, exchange, refusal);
    }

    /** Why the request is refused, or null. */
    private static String refusal(HttpServerRequest request) {
        if (request.method() == HttpMethod.CONNECT) {
            return "CONNECT is not supported";
        }
        String path = request.uri();
        if (path.equals("*")) {
            if (request.method() != HttpMethod.OPTIONS) {
                return "* is a target for OPTIONS only";
            }
        } else if (!path.startsWith("/")) {
            return "invalid request target";
        }
        if (request.authority() == null) {
            return "request without :authority or Host";
        }
        if (request.headers().getAll(HttpHeaders.HOST).size() > 1) {
            return "more than one Host header";
        }
        return null;
    }
}
