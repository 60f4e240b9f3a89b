package dev.slipway.router.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * Heroku's router headers. To the app: X-Forwarded-For (the client appended), X-Forwarded-Proto
 * and X-Forwarded-Port (as the client connected), X-Request-Id, X-Request-Start ({@code t=} epoch
 * milliseconds) and Via. Back to the client: X-Request-Id and Via.
 */
final class ForwardedHeaders {
    static final String VIA = "1.1 slipway";
    /** RFC 9110 §7.6.3: the protocol the router received the request in (HTTP/2 is proxied as HTTP/1.1). */
    static final String VIA_HTTP2 = "2.0 slipway";
    static final String VIA_HEADER = "Via";
    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private ForwardedHeaders() {
    }

    /** Whether the router sets {@code name} itself on a request to an app (whatever the client sent goes into it or away). */
    static boolean isSetByRouter(String name) {
        return switch (name.length()) {
            case 3 -> name.equalsIgnoreCase(VIA_HEADER);
            // Expect: the router already told the client to go on; the app gets the body without being asked.
            case 6 -> name.equalsIgnoreCase("expect");
            case 12 -> name.equalsIgnoreCase(RequestId.HEADER);
            case 15 -> name.equalsIgnoreCase(FORWARDED_FOR) || name.equalsIgnoreCase("X-Request-Start");
            case 16 -> name.equalsIgnoreCase("X-Forwarded-Port");
            case 17 -> name.equalsIgnoreCase("X-Forwarded-Proto");
            default -> false;
        };
    }

    /** Adds Heroku's headers to {@code to}, the headers of {@code client}'s request to the app. */
    static void toApp(HttpServerRequest client, MultiMap to, Exchange exchange, String forwardedFor) {
        boolean secure = client.isSSL();
        to.set(FORWARDED_FOR, forwardedFor);
        to.set("X-Forwarded-Proto", secure ? "https" : "http");
        to.set("X-Forwarded-Port", Integer.toString(port(client.localAddress(), secure)));
        to.set(RequestId.HEADER, exchange.requestId());
        to.set("X-Request-Start", "t=" + exchange.startMillis());
        to.set(VIA_HEADER, append(client.headers().getAll(VIA_HEADER),
                client.version() == HttpVersion.HTTP_2 ? VIA_HTTP2 : VIA));
    }

    /** The Via to pass on: whatever {@code headers} held, with the router's appended. */
    static String via(MultiMap headers) {
        return append(headers.getAll(VIA_HEADER), VIA);
    }

    /** The X-Forwarded-For the app gets: what the client sent, with its address appended. */
    static String forwardedFor(HttpServerRequest client) {
        return append(client.headers().getAll(FORWARDED_FOR), clientAddress(client.remoteAddress()));
    }

    /** The Netty path's X-Forwarded-For: what the client sent ({@code headers}), with {@code clientAddress} appended. */
    static String forwardedFor(io.netty.handler.codec.http.HttpHeaders headers, String clientAddress) {
        return append(headers.getAll(FORWARDED_FOR), clientAddress);
    }

    /**
     * The Netty path's {@link #toApp}: the client's own {@code headers}, rewritten in place ({@code http2}:
     * the request came over HTTP/2). Reads the client's Via before it is replaced; removes what a client
     * may not set itself.
     */
    static void toApp(io.netty.handler.codec.http.HttpHeaders headers, boolean http2, boolean secure, int localPort,
                      Exchange exchange, String forwardedFor) {
        String via = via(headers, http2);
        headers.remove("Expect");
        headers.set(FORWARDED_FOR, forwardedFor);
        headers.set("X-Forwarded-Proto", secure ? "https" : "http");
        headers.set("X-Forwarded-Port", Integer.toString(localPort > 0 ? localPort : secure ? 443 : 80));
        headers.set(RequestId.HEADER, exchange.requestId());
        headers.set("X-Request-Start", "t=" + exchange.startMillis());
        headers.set(VIA_HEADER, via);
    }

    /** The Netty path's {@link #via(MultiMap)}. */
    static String via(io.netty.handler.codec.http.HttpHeaders headers) {
        return via(headers, false);
    }

    /** The Via to pass on: whatever {@code headers} held, with the router's appended ({@code http2}: as received over HTTP/2). */
    static String via(io.netty.handler.codec.http.HttpHeaders headers, boolean http2) {
        return append(headers.getAll(VIA_HEADER), http2 ? VIA_HTTP2 : VIA);
    }

    private static String append(List<String> existing, String value) {
        if (existing.isEmpty()) {
            return value;
        }
        return String.join(", ", existing) + ", " + value;
    }

    private static String clientAddress(SocketAddress remote) {
        if (remote == null) {
            return "unknown";
        }
        return remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    }

    /** The port the client connected to (never what Host says), else the scheme's default. */
    private static int port(SocketAddress local, boolean secure) {
        if (local != null && local.port() > 0) {
            return local.port();
        }
        return secure ? 443 : 80;
    }
}
