package dev.slipway.framework.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.zk.Json;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/** Glue for handlers: blocking work off the event loop, JSON in and out, failures as problems. */
final class Handlers {
    private Handlers() {
    }

    /**
     * Runs {@code work} on a worker thread and answers its result as JSON with {@code status}; 503
     * at once if ZooKeeper goes away meanwhile (see {@link ZooKeeperGate}).
     */
    static <T> void respond(RoutingContext ctx, int status, Callable<T> work) {
        Future<T> result = ZooKeeperGate.blocking(ctx, work);
        result.onSuccess(value -> json(ctx, status, value)).onFailure(failure -> Problems.send(ctx, Problems.of(failure)));
    }

    static void json(RoutingContext ctx, int status, Object value) {
        try {
            ctx.response().setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(Json.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            Problems.send(ctx, Problems.of(e));
        }
    }

    /** Starts a 200 answer of plain text that must not be cached or sniffed: logs, build output. */
    static HttpServerResponse plainText(RoutingContext ctx) {
        return ctx.response().setStatusCode(200)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff");
    }

    /**
     * The request body as a record, read strictly ({@link StrictJson}); {@link Invalid} (422) naming
     * the field when it is not the JSON object this call takes.
     */
    static <T> T body(RoutingContext ctx, Class<T> type) {
        return StrictJson.read(ctx.body() == null ? null : ctx.body().asString(), type);
    }
}
