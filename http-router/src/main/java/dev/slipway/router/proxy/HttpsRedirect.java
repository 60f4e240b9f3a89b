package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig;
import dev.slipway.router.balance.Backend;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The {@code https-only} feature of an app ({@code features:enable https-only}): a request that
 * reached this router over plain HTTP is answered with a redirect to the same host and target over
 * HTTPS, and never reaches the app. 301 for GET and HEAD (browsers and caches keep it, as nginx's
 * usual {@code return 301 https://...} and Rails' {@code force_ssl}); 308 for any other method, so
 * that the client repeats it with its method and body (a 301 lets clients turn a POST into a GET).
 *
 * <p>Only the connection counts: a request that came over TLS to this router is never redirected,
 * and {@code X-Forwarded-Proto} is never read, since any client can send it. The host in
 * {@code Location} is the one the route table matched (an app's hostname, or a name of letters,
 * digits and dashes under its wildcard domain), never other bytes of the Host header; the target is
 * the request's own, with anything but visible ASCII percent-encoded. A router without an HTTPS
 * listener redirects nothing: the redirect would lead nowhere (or, behind a front that terminates
 * TLS and forwards plain HTTP, in a loop).
 */
final class HttpsRedirect {
    private final String portSuffix;

    private HttpsRedirect(String portSuffix) {
        this.portSuffix = portSuffix;
    }

    /**
     * The redirects of a router with {@code config}, or null when it has no HTTPS listener. The
     * {@code Location} names the listener's port unless it is 443 (or 0: picked at start, unknown here).
     */
    static HttpsRedirect of(RouterConfig config) {
        if (config.tls() == null) {
            return null;
        }
        int port = config.tls().port();
        return new HttpsRedirect(port == 443 || port == 0 ? "" : ":" + port);
    }

    /**
     * Answers {@code request} with its redirect when {@code backend}'s app is HTTPS-only and the
     * request came over plain HTTP; whether it did. {@code host} is the normalized host the route
     * table matched; {@code target} the request target in origin form.
     */
    boolean answered(HttpServerRequest request, Backend backend, String host, String target, Exchange exchange) {
        if (!backend.route().httpsOnly() || request.isSSL()) {
            return false;
        }
        if (!plainHostName(host)) {
            // Only a wildcard match lets a client choose labels: one that is not a DNS name gets no Location.
            ErrorReply.refuse(request.response(), 400, exchange, "Invalid host");
            return true;
        }
        HttpMethod method = request.method();
        int status = method == HttpMethod.GET || method == HttpMethod.HEAD ? 301 : 308;
        request.response().setStatusCode(status)
                .putHeader(HttpHeaders.LOCATION, "https://" + host + portSuffix + encoded(target))
                .putHeader(RequestId.HEADER, exchange.requestId())
                .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
                .end();
        return true;
    }

    /**
     * The Netty data path's redirect for a plain-HTTP request to an HTTPS-only app: the status (301
     * for GET and HEAD, 308 for the rest) and the Location, or null when {@code host} is not a plain
     * DNS name (answered 400 then, as {@link #answered} does).
     */
    String location(String host, String target) {
        return plainHostName(host) ? "https://" + host + portSuffix + encoded(target) : null;
    }

    static int status(String method) {
        return method.equals("GET") || method.equals("HEAD") ? 301 : 308;
    }

    /** Labels of letters, digits and dashes, separated by single dots (lower case: the host is normalized). */
    static boolean plainHostName(String host) {
        if (host.isEmpty() || host.length() > 253 || host.startsWith(".") || host.endsWith(".")
                || host.contains("..")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** The target as sent, with anything but visible ASCII percent-encoded (UTF-8). */
    static String encoded(String target) {
        String path = target.isEmpty() ? "/" : target;
        StringBuilder out = null;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean visible = c > 0x20 && c < 0x7f;
            if (visible && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(path.length() + 16).append(path, 0, i);
            }
            if (visible) {
                out.append(c);
            } else {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
            }
        }
        return out == null ? path : out.toString();
    }
}
