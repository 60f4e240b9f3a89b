package dev.slipway.framework.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** What the calls that take a request body (source uploads, log lines) share. */
final class Uploads {
    static final long DRAINED_BYTES = 64 * 1024;

    private Uploads() {
    }

    /**
     * Answers a request refused before its body was read to the end: the connection is closed
     * after the answer, since what is left of the body would be read as the next request.
     */
    static void refuse(RoutingContext ctx, Problem problem) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (!ctx.request().isEnded()) {
            ctx.response().putHeader("Connection", "close");
            ctx.response().endHandler(v -> ctx.request().connection().close());
        }
        Problems.send(ctx, problem);
    }

    /**
     * Answers a request refused before any handler read its body: a body declared small (at most
     * {@link #DRAINED_BYTES}) is read and dropped first, so that the client reads the answer on a
     * connection that stays open; any other is refused as {@link #refuse} does.
     */
    static void refuseEarly(RoutingContext ctx, Problem problem) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || request.getHeader("Content-Length") == null || declaredOver(request, DRAINED_BYTES)) {
            refuse(ctx, problem);
            return;
        }
        request.handler(chunk -> { });
        request.exceptionHandler(failure -> refuse(ctx, problem));
        request.endHandler(v -> Problems.send(ctx, problem));
        request.resume();
    }

    /**
     * The app a body is sent to, once its name is valid and the body is not declared over
     * {@code maxBytes}; otherwise the request is refused ({@code tooLarge} says why for a body
     * too large) and the answer is null. The request is paused first: nothing of the body is
     * read before the caller is ready for it.
     */
    static String appOrRefuse(RoutingContext ctx, long maxBytes, Supplier<Invalid> tooLarge) {
        ctx.request().pause();
        String app;
        try {
            app = AppsResource.app(ctx);
        } catch (RuntimeException e) {
            refuse(ctx, Problems.of(e));
            return null;
        }
        if (declaredOver(ctx.request(), maxBytes)) {
            refuse(ctx, Problems.of(tooLarge.get()));
            return null;
        }
        return app;
    }

    /** Whether the request says, in its Content-Length, that its body is over {@code maxBytes}. */
    static boolean declaredOver(HttpServerRequest request, long maxBytes) {
        String length = request.getHeader("Content-Length");
        if (length == null) {
            return false;
        }
        try {
            return Long.parseLong(length.strip()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
