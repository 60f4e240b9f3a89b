package dev.slipway.framework.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who besides the API's own clients may call it. Browsers call it from their pages' origins: only
 * the {@code allowedOrigins} are let through ({@code --api-allowed-origin}); requests name the API
 * in their {@code Host} header: besides the names it is served under, the {@code extraHostNames}
 * are accepted ({@code --api-host-name}, e.g. a load balancer's name).
 *
 * @param allowedOrigins origins as browsers send them, {@code scheme://host[:port]}, stored
 *                       normalized (lowercase, default ports left out)
 * @param extraHostNames host names without a port, stored lowercase
 */
public record ApiAccess(List<String> allowedOrigins, List<String> extraHostNames) {
    /** Only the API's own origin and names. */
    public static final ApiAccess NONE = new ApiAccess(List.of(), List.of());
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\\[[0-9a-f:.]+\\]");

    public ApiAccess {
        List<String> origins = new ArrayList<>();
        for (String origin : allowedOrigins == null ? List.<String>of() : allowedOrigins) {
            origins.add(normalizedOrigin(origin));
        }
        allowedOrigins = List.copyOf(origins);
        List<String> names = new ArrayList<>();
        for (String name : extraHostNames == null ? List.<String>of() : extraHostNames) {
            String lower = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
            if (!HOST_NAME.matcher(lower).matches()) {
                throw new IllegalArgumentException("--api-host-name takes a host name without a port, e.g. "
                        + "slipway.example.com, not '" + name + "'");
            }
            names.add(lower);
        }
        extraHostNames = List.copyOf(names);
    }

    /**
     * {@code origin} as a browser sends it in its {@code Origin} header: lowercase scheme and host,
     * the port only when it is not the scheme's default.
     *
     * @throws IllegalArgumentException when it is not an http(s) origin without a path
     */
    public static String normalizedOrigin(String origin) {
        String why = "--api-allowed-origin takes an origin as browsers send it, scheme://host[:port] with no path "
                + "(a trailing / is fine) "
                + "(e.g. https://dashboard.example.com), not '" + origin + "'";
        URI uri;
        try {
            uri = URI.create(origin == null ? "" : origin.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(why, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !noPath
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(why);
        }
        return origin(scheme, uri.getHost(), uri.getPort());
    }

    /** The origin of {@code scheme}, {@code host} and {@code port} (-1 for the default). */
    static String origin(String scheme, String host, int port) {
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
