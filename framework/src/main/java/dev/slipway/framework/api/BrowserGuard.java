package dev.slipway.framework.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of every route: what keeps a web page the developer visits from using the API. A page
 * can make the browser send a "simple" cross-origin request (GET, or POST of {@code text/plain},
 * {@code multipart/form-data} or a form) without asking first, and a DNS-rebound name can make the
 * API look same-origin. So:
 * <ul>
 * <li>the {@code Host} header must name the API (its listen address, loopback names when it listens
 *     there, the advertised URL's host, {@link ApiAccess#extraHostNames}): else 421;
 * <li>a request with an {@code Origin} other than the API's own is refused (403) unless that origin
 *     is allowed ({@link ApiAccess#allowedOrigins}); only those get CORS answers, preflights
 *     included;
 * <li>POST, PUT and PATCH must declare a body type no form can send: {@code application/json}, a
 *     gzip type for source uploads, {@value #LOG_LINES} for log lines, git's own request types for
 *     {@code git fetch} and {@code git push}: else 415.
 * </ul>
 */
final class BrowserGuard implements Handler<RoutingContext> {
    /** The body type executors ship log lines in: one line per line, UTF-8. */
    static final String LOG_LINES = "application/x-slipway-log-lines";
    static final String ROUTER_LOG_LINES = "application/x-slipway-router-log-lines";
    private static final Logger LOG = LoggerFactory.getLogger(BrowserGuard.class);
    private static final Pattern BUILDS = Pattern.compile("/apps/[^/]+/builds/?");
    private static final Pattern LOG_LINES_PATH = Pattern.compile("/apps/[^/]+/log-lines/?");
    private static final Pattern ROUTER_LOG_LINES_PATH = Pattern.compile("/router-log-lines/?");
    private static final Pattern GIT_RPC = Pattern.compile("/git/[^/]+/(git-upload-pack|git-receive-pack)");
    private static final Set<String> JSON = Set.of("application/json");
    private static final Set<String> SOURCE = Set.of("application/gzip", "application/x-gzip",
            "application/octet-stream");
    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final Set<String> hostNames;
    private final Set<String> ownOrigins;
    private final Set<String> allowedOrigins;

    private BrowserGuard(Set<String> hostNames, Set<String> ownOrigins, Set<String> allowedOrigins) {
        this.hostNames = Set.copyOf(hostNames);
        this.ownOrigins = Set.copyOf(ownOrigins);
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /**
     * The guard of an API listening on {@code listenHost}, reached at {@code advertiseUrl} (null when
     * it is only reached at its listen address).
     */
    static BrowserGuard of(String listenHost, URI advertiseUrl, ApiAccess access) {
        Set<String> names = new HashSet<>(access.extraHostNames());
        Set<String> origins = new HashSet<>();
        String listen = hostName(listenHost);
        if (isWildcard(listen) || isLoopback(listen)) {
            names.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
        }
        if (!isWildcard(listen)) {
            names.add(listen);
        }
        if (advertiseUrl != null && advertiseUrl.getHost() != null) {
            names.add(hostName(advertiseUrl.getHost()));
            origins.add(ApiAccess.origin(advertiseUrl.getScheme().toLowerCase(Locale.ROOT), advertiseUrl.getHost(),
                    advertiseUrl.getPort()));
        }
        return new BrowserGuard(names, origins, new HashSet<>(access.allowedOrigins()));
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String host = requestHost(request);
        if (host == null || !hostNames.contains(host)) {
            refuse(ctx, 421, "misdirected-request", "Misdirected request", "this API is not served under the name '"
                    + printable(host) + "' (the Host header): call it under one of its names (see --api-host-name)");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            String normalized = normalized(origin);
            boolean allowed = normalized != null && allowedOrigins.contains(normalized);
            if (!allowed && !isOwn(normalized, request)) {
                refuse(ctx, 403, "forbidden-origin", "Cross-origin request refused", "requests from pages of "
                        + printable(origin) + " are refused: only the API's own origin and the origins allowed with "
                        + "--api-allowed-origin may call it");
                return;
            }
            if (allowed) {
                ctx.response().putHeader("Access-Control-Allow-Origin", normalized).putHeader("Vary", "Origin");
                if (request.method() == HttpMethod.OPTIONS) {
                    ctx.response().setStatusCode(204)
                            .putHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE")
                            .putHeader("Access-Control-Allow-Headers", "Content-Type, Authorization")
                            .putHeader("Access-Control-Max-Age", "600")
                            .end();
                    return;
                }
            }
        }
        if (WITH_BODY.contains(request.method())) {
            Set<String> accepted = accepted(ctx.normalizedPath());
            String type = mediaType(request.getHeader("Content-Type"));
            if (!accepted.contains(type)) {
                String takes = String.join(" or ", accepted.stream().sorted().toList());
                refuse(ctx, 415, "unsupported-media-type", "Unsupported media type", request.method() + " "
                        + printable(ctx.normalizedPath()) + " takes a body of " + takes
                        + (type.isEmpty() ? ", declared in its Content-Type header" : ", not " + printable(type)));
                return;
            }
        }
        ctx.next();
    }

    private static Set<String> accepted(String path) {
        if (BUILDS.matcher(path).matches()) {
            return SOURCE;
        }
        if (LOG_LINES_PATH.matcher(path).matches()) {
            return Set.of(LOG_LINES);
        }
        if (ROUTER_LOG_LINES_PATH.matcher(path).matches()) {
            return Set.of(ROUTER_LOG_LINES);
        }
        Matcher git = GIT_RPC.matcher(path);
        if (git.matches()) {
            return Set.of("application/x-" + git.group(1) + "-request");
        }
        return JSON;
    }

    /** Same-origin: the origin this request was sent to, or the advertised URL's. */
    private boolean isOwn(String origin, HttpServerRequest request) {
        if (origin == null) {
            return false;
        }
        if (ownOrigins.contains(origin)) {
            return true;
        }
        String targeted = normalized(request.scheme() + "://" + request.getHeader("Host"));
        return origin.equals(targeted);
    }

    private static String normalized(String origin) {
        try {
            return ApiAccess.normalizedOrigin(origin);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void refuse(RoutingContext ctx, int status, String type, String title, String detail) {
        LOG.info("refused {} {}: {}", ctx.request().method(), LogSafe.of(ctx.request().path()), LogSafe.of(detail, 400));
        Uploads.refuseEarly(ctx, Problems.problem(status, type, title, detail));
    }

    /** The host named by the request, lowercase and without its port; null when it names none. */
    private static String requestHost(HttpServerRequest request) {
        String header = request.getHeader("Host");
        if (header == null) {
            HostAndPort authority = request.authority();
            return authority == null ? null : hostName(authority.host());
        }
        String value = header.strip();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? null : hostName(value.substring(0, end + 1));
        }
        int colon = value.indexOf(':');
        return hostName(colon < 0 ? value : value.substring(0, colon));
    }

    private static String hostName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.contains(":") && !name.startsWith("[")) {
            name = "[" + name + "]";
        }
        return name;
    }

    private static boolean isWildcard(String name) {
        return name.isEmpty() || name.equals("0.0.0.0") || name.equals("[::]") || name.equals("[0:0:0:0:0:0:0:0]");
    }

    private static boolean isLoopback(String name) {
        if (name.equals("localhost")) {
            return true;
        }
        if (!name.matches("[0-9.]+|\\[[0-9a-f:]+\\]")) {
            return false;
        }
        try {
            // A literal address: no name lookup.
            return InetAddress.getByName(name.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The media type of a Content-Type header, lowercase, without parameters; empty when there is none. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        String shown = text.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
    }
}
