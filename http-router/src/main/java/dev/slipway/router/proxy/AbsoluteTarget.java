package dev.slipway.router.proxy;

import io.vertx.core.net.HostAndPort;
import java.util.Locale;

/**
 * An absolute-form request target ({@code GET http://a.example/x HTTP/1.1}, RFC 9112 §3.2.2): the
 * authority it names, which routes the request instead of Host, and the origin form the app gets.
 *
 * @param authority  the host and port named in the target
 * @param originForm the path and query, {@code /} when the target has no path
 */
record AbsoluteTarget(HostAndPort authority, String originForm) {

    /** The target of {@code uri}, or null when it is not an http(s) URI with a plain host[:port] authority. */
    static AbsoluteTarget parse(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        int schemeEnd;
        if (lower.startsWith("http://")) {
            schemeEnd = 7;
        } else if (lower.startsWith("https://")) {
            schemeEnd = 8;
        } else {
            return null;
        }
        int end = schemeEnd;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        String authority = uri.substring(schemeEnd, end);
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            return null;
        }
        HostAndPort parsed = HostAndPort.parseAuthority(authority, -1);
        if (parsed == null || parsed.host().isEmpty()) {
            return null;
        }
        String rest = uri.substring(end);
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        if (!rest.startsWith("/")) {
            rest = "/" + rest;
        }
        return new AbsoluteTarget(parsed, rest);
    }
}
