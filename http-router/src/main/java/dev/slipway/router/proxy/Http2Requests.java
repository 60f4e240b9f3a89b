package dev.slipway.router.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the framing guard refuses in an HTTP/1 head, refused in an HTTP/2 request too, before it is
 * routed: CONNECT (405), a {@code :path} that is neither origin form nor {@code *} for OPTIONS, or that
 * an HTTP/1.1 request line could not carry (400), no {@code :authority} nor Host (400, as HTTP/1.1
 * without Host), more than one Host (400). Netty's HTTP/2 codec already resets a stream with
 * connection-specific headers (RFC 9113 §8.2.2), a content-length the DATA frames disagree with
 * (§8.1.1) or a header list over the limit, and Vert.x one whose {@code :authority} and Host differ
 * (§8.3.1). The app's connection-specific response headers are dropped before the answer goes out over
 * HTTP/2, and a body without a content-length goes to the app chunked. HTTP/1 requests go straight on.
 * The Netty data path asks the same rules ({@link #refusal(String, String, boolean, int)},
 * {@link #withoutConnectionHeaders(io.netty.handler.codec.http.HttpHeaders)}) in {@link NettyHttp2Stream}.
 */
public final class Http2Requests implements Handler<HttpServerRequest> {
    private static final List<CharSequence> CONNECTION_SPECIFIC = List.of(HttpHeaders.CONNECTION, HttpHeaders.KEEP_ALIVE,
            "Proxy-Connection", HttpHeaders.TRANSFER_ENCODING, HttpHeaders.UPGRADE, "TE");

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
            HttpServerResponse response = request.response();
            response.headersEndHandler(writing -> withoutConnectionHeaders(response.headers()));
            if (!request.headers().contains(HttpHeaders.CONTENT_LENGTH) && bodyFollows(request)) {
                // HTTP/2 frames a body by its DATA frames alone; HTTP/1.1 needs a length or chunks, and
                // the proxy chunks a body only when the request says so (else the app would get none).
                // No client can have sent this header: it is connection-specific, a stream error in HTTP/2.
                request.headers().set("transfer-encoding", "chunked");
            }
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

    /**
     * RFC 9113 §8.2.2: an HTTP/2 message carries no connection-specific header (a client must treat
     * one as malformed), but the app answers in HTTP/1.1 and may send them: they, and the headers its
     * Connection names, stay behind.
     */
    static void withoutConnectionHeaders(MultiMap headers) {
        strip(headers::getAll, headers::remove);
    }

    /**
     * Whether DATA frames may follow the request's HEADERS: its stream is still open (END_STREAM
     * half-closes it). Vert.x calls the handler as the HEADERS frame is read, so nothing later counts yet.
     */
    private static boolean bodyFollows(HttpServerRequest request) {
        Channel channel = ((ConnectionBase) request.connection()).channel();
        Http2ConnectionHandler http2 = channel.pipeline().get(Http2ConnectionHandler.class);
        Http2Stream stream = http2 == null ? null : http2.connection().stream(request.streamId());
        return stream != null && stream.state() == Http2Stream.State.OPEN;
    }

    /** Why the request is refused, or null. */
    private static String refusal(HttpServerRequest request) {
        for (Map.Entry<String, String> header : request.headers()) {
            if (!carriable(header.getValue())) {
                // Refused here, before a copy of it into the app's request throws with the value in its message.
                return "a header value with a line break or NUL";
            }
        }
        return refusal(request.method().name(), request.uri(), request.authority() != null,
                request.headers().getAll(HttpHeaders.HOST).size());
    }

    /** Whether a field value can go into an HTTP/1.1 head: no CR, LF or NUL (RFC 9113 §8.2.1). */
    private static boolean carriable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why an HTTP/2 request with {@code method} and {@code path} (null without one) is refused, or null;
     * {@code authority}: it has an {@code :authority} or a Host; {@code hosts}: how many Host headers.
     * Both data paths ask this.
     */
    static String refusal(String method, String path, boolean authority, int hosts) {
        if (method.equals("CONNECT")) {
            return "CONNECT is not supported";
        }
        if (method.isEmpty()) {
            return "request without :method";
        }
        if (!isToken(method)) {
            return "invalid method";
        }
        if (path == null || !printable(path)) {
            return "invalid request target";
        }
        if (path.equals("*")) {
            if (!method.equals("OPTIONS")) {
                return "* is a target for OPTIONS only";
            }
        } else if (!path.startsWith("/")) {
            return "invalid request target";
        }
        if (!authority) {
            return "request without :authority or Host";
        }
        if (hosts > 1) {
            return "more than one Host header";
        }
        return null;
    }

    /** Whether {@code method} is a token (RFC 9110 §5.6.2), as an HTTP/1.1 request line needs it. */
    private static boolean isToken(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            boolean tchar = c > ' ' && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code path} fits in an HTTP/1.1 request line: visible ASCII only (no space, no control character). */
    private static boolean printable(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** The Netty data path's {@link #withoutConnectionHeaders(MultiMap)}. */
    static void withoutConnectionHeaders(io.netty.handler.codec.http.HttpHeaders headers) {
        strip(headers::getAll, headers::remove);
    }

    /** Removes the headers {@code Connection} names, then the connection-specific ones: one rule for both header types. */
    private static void strip(Function<CharSequence, List<String>> all, Consumer<CharSequence> remove) {
        for (String connection : all.apply(HttpHeaders.CONNECTION)) {
            for (String named : connection.split(",", -1)) {
                if (!named.isBlank()) {
                    remove.accept(named.strip());
                }
            }
        }
        for (CharSequence name : CONNECTION_SPECIFIC) {
            remove.accept(name);
        }
    }
}
