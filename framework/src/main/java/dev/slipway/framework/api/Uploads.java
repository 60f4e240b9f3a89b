package dev.slipway.framework.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** What the calls that take a request body (source uploads, log lines) share. */
final class Uploads {
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
