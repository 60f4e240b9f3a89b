package dev.slipway.router.proxy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.List;

/**
 * Heroku's router headers. To the app: X-Forwarded-For (the client appended), X-Forwarded-Proto
 * and X-Forwarded-Port (as the client connected), X-Request-Id, X-Request-Start ({@code t=} epoch
 * milliseconds) and Via. An absolute-form request goes on in origin form. Back to the client: X-Request-Id and Via.
 */
final class ForwardedHeaders implements ProxyInterceptor {
    static final String VIA = "1.1 slipway";
    /** RFC 9110 §7.6.3: the protocol the router received the request in (HTTP/2 is proxied as HTTP/1.1). */
    static final String VIA_HTTP2 = "2.0 slipway";

    private final Exchange exchange;
    private final String originForm;

    /** {@code originForm}: the target to send instead of the client's absolute-form one, or null. */
    ForwardedHeaders(Exchange exchange, String originForm) {
        this.exchange = exchange;
        this.originForm = originForm;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        HttpServerRequest client = context.request().proxiedRequest();
        MultiMap headers = context.request().headers();
        String scheme = client.isSSL() ? "https" : "http";
        headers.set("X-Forwarded-For", forwardedFor(client));
        headers.set("X-Forwarded-Proto", scheme);
        headers.set("X-Forwarded-Port", Integer.toString(port(client.localAddress(), scheme)));
        if (originForm != null) {
            context.request().setURI(originForm);
        }
        headers.set(RequestId.HEADER, exchange.requestId());
        headers.set("X-Request-Start", "t=" + exchange.startMillis());
        headers.set("Via", append(headers.getAll("Via"), client.version() == HttpVersion.HTTP_2 ? VIA_HTTP2 : VIA));
        // The router already told the client to go on; the app gets the body without being asked.
        headers.remove(HttpHeaders.EXPECT);
        return context.sendRequest();
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        ProxyResponse response = context.response();
        response.headers().set(RequestId.HEADER, exchange.requestId());
        response.headers().set("Via", append(response.headers().getAll("Via"), VIA));
        return context.sendResponse();
    }

    /** The X-Forwarded-For the app gets: what the client sent, with its address appended. */
    static String forwardedFor(HttpServerRequest client) {
        return append(client.headers().getAll("X-Forwarded-For"), clientAddress(client.remoteAddress()));
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
    private static int port(SocketAddress local, String scheme) {
        if (local != null && local.port() > 0) {
            return local.port();
        }
        return scheme.equals("https") ? 443 : 80;
    }
}
