package dev.slipway.router.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;

/**
 * The headers that concern one connection only and never go on through the router (RFC 9110
 * §7.6.1): Connection, the ones it names, and Keep-Alive, Proxy-Connection, Proxy-Authenticate,
 * Proxy-Authorization, TE, Trailer, Transfer-Encoding and Upgrade. The body's framing is the
 * router's to set, so a Connection that names Content-Length, Host or one of Heroku's headers
 * removes nothing.
 */
final class HopByHop {
    private HopByHop() {
    }

    static boolean isHopByHop(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            case 18 -> name.equalsIgnoreCase("proxy-authenticate");
            case 19 -> name.equalsIgnoreCase("proxy-authorization");
            default -> false;
        };
    }

    /** Removes from {@code copied} the headers that the Connection headers of {@code original} name. */
    static void removeNamedIn(MultiMap original, MultiMap copied) {
        List<String> connection = original.getAll(HttpHeaders.CONNECTION);
        if (connection.isEmpty()) {
            return;
        }
        for (String value : connection) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !isKept(name)) {
                    copied.remove(name);
                }
            }
        }
    }

    /** Every name {@link #isHopByHop} answers true for, for removing them from Netty's headers in place. */
    private static final String[] NAMES = {"te", "trailer", "upgrade", "connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "proxy-authenticate", "proxy-authorization"};

    /**
     * The Netty path's rewrite in place: removes from {@code headers} the hop-by-hop ones and those
     * their own Connection headers name (read before they go).
     */
    static void removeFrom(io.netty.handler.codec.http.HttpHeaders headers) {
        List<String> connection = headers.getAll(HttpHeaders.CONNECTION);
        for (String value : connection) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !isKept(name)) {
                    headers.remove(name);
                }
            }
        }
        for (String name : NAMES) {
            headers.remove(name);
        }
    }

    private static boolean isKept(String name) {
        return name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("host")
                || name.equalsIgnoreCase("content-type") || ForwardedHeaders.isSetByRouter(name);
    }
}
