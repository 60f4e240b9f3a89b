package dev.slipway.router.route;

import io.vertx.core.net.HostAndPort;
import java.util.Locale;

/** The form of a host name that route lookups use: no port, lower case, no trailing dot. */
public final class HostName {
    private HostName() {
    }

    /** The normalized host of a request's authority; empty when the request named none. */
    public static String of(HostAndPort authority) {
        return authority == null ? "" : normalize(authority.host());
    }

    /** {@code Hello.Example.COM.} becomes {@code hello.example.com}. */
    public static String normalize(String host) {
        if (host == null) {
            return "";
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
