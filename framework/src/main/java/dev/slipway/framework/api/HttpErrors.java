package dev.slipway.framework.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The errors the HTTP layer finds before any resource sees the call, answered as every other
 * error, {@code application/problem+json}, and logged in one line without a stack trace: a
 * request Netty could not decode (a request line over {@link #MAX_REQUEST_LINE} bytes: 414;
 * headers over {@link #MAX_HEADERS} bytes: 431; anything else, such as a bad Content-Length: 400),
 * a path whose {@code %} escapes do not decode (400), a path served for other methods only (405
 * with {@code Allow}), and a path served by no route (404).
 */
final class HttpErrors {
    /** The longest request line taken (Netty's default, and Heroku's router's 8 KB for all of it). */
    static final int MAX_REQUEST_LINE = 8 * 1024;
    /** The most bytes of headers taken. */
    static final int MAX_HEADERS = 8 * 1024;
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "([A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /** For {@code HttpServer.invalidRequestHandler}: the connection is closed after the answer. */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = Problems.problem(414, "uri-too-long", "URI too long", "the request line is longer than "
                    + MAX_REQUEST_LINE + " bytes: shorten the path and query");
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = Problems.problem(431, "headers-too-large", "Request headers too large", "the request's headers "
                    + "take more than " + MAX_HEADERS + " bytes: send fewer or shorter ones");
        } else {
            problem = Problems.problem(400, "bad-request", "Bad request", "the request is not valid HTTP/1.1 (its "
                    + "request line or a header such as Content-Length cannot be read)");
        }
        LOG.info("refused a request that is not valid HTTP: {} {}", problem.status(), problem.title());
        request.response().setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(Problems.json(problem))
                .onComplete(done -> request.connection().close());
    }

    /**
     * In front of the router: a request whose {@code Host} is not a host name (with an optional
     * port) is refused here, 400, since Vert.x's own parsing of some of them ({@code a%0d%0a.b})
     * throws before any route runs and leaves the request unanswered.
     */
    static io.vertx.core.Handler<HttpServerRequest> checkingHost(io.vertx.core.Handler<HttpServerRequest> router) {
        return request -> {
            String host = request.getHeader("Host");
            if (host != null && !HOST.matcher(host).matches()) {
                request.response().setStatusCode(400)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(Problems.json(Problems.problem(400, "bad-request", "Bad request", "the Host header is "
                                + "not a host name with an optional port: '" + LogSafe.of(host, 80) + "'")))
                        .onComplete(done -> request.connection().close());
                return;
            }
            router.handle(request);
        };
    }

    /**
     * In front of every route: a path whose escapes do not decode is refused here, before a
     * router reads it (Vert.x would log each one with a stack trace).
     */
    static void checkPath(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path == null || !decodes(path)) {
            Uploads.refuseEarly(ctx, Problems.problem(400, "bad-request", "Bad request", "the path has a bad % escape "
                    + "(each % must be followed by two hexadecimal digits of UTF-8)"));
            return;
        }
        ctx.next();
    }

    private static boolean decodes(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                        || Character.digit(path.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            }
        }
        try {
            java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The last route: 405 with {@code Allow} when other methods serve this path, 404 otherwise.
     * The table is read from the router at the first call, once every route is mounted.
     */
    static io.vertx.core.Handler<RoutingContext> unrouted(Router router) {
        AtomicReference<RouteTable> table = new AtomicReference<>();
        return ctx -> {
            RouteTable routes = table.updateAndGet(read -> read != null ? read : RouteTable.of(router));
            Set<io.vertx.core.http.HttpMethod> allowed = routes.methodsFor(ctx.request().path());
            if (!allowed.isEmpty()) {
                String allow = RouteTable.allow(allowed);
                ctx.response().putHeader("Allow", allow);
                Uploads.refuseEarly(ctx, Problems.problem(405, "method-not-allowed", "Method not allowed",
                        ctx.request().method() + " is not served at " + LogSafe.of(ctx.request().path(), 120)
                                + ": it answers " + allow));
                return;
            }
            Uploads.refuseEarly(ctx, Problems.problem(404, "not-found", "Not found", "no such resource: "
                    + ctx.request().method() + " " + LogSafe.of(ctx.request().path(), 120)));
        };
    }
}
