package dev.slipway.framework.api;

import dev.slipway.slug.BuildFailed;
import dev.slipway.slug.InvalidSource;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Json;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.RecordTooLarge;
import dev.slipway.zk.Unavailable;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become problem+json responses. */
final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    static Problem of(Throwable failure) {
        if (failure instanceof Invalid e && e.status() == 413) {
            return problem(413, "too-large", "Upload too large", e.getMessage());
        }
        if (failure instanceof Invalid e) {
            return problem(e.status(), "invalid-request", "Invalid request", e.getMessage());
        }
        if (failure instanceof InvalidSource e) {
            return problem(400, "invalid-source", "Invalid source archive", e.getMessage());
        }
        if (failure instanceof BuildFailed e) {
            return problem(422, "build-failed", "Build failed", e.getMessage());
        }
        if (failure instanceof NotFound e) {
            return problem(404, "not-found", "Not found", e.getMessage());
        }
        if (failure instanceof Conflict e) {
            return problem(409, "conflict", "Conflict", e.getMessage());
        }
        if (failure instanceof RecordTooLarge e) {
            return problem(422, "too-large", "Record too large", e.getMessage());
        }
        if (failure instanceof Unavailable e) {
            return problem(503, "unavailable", "Service unavailable", e.getMessage());
        }
        LOG.error("unexpected failure answering a request", failure);
        return problem(500, "internal", "Internal error", "an unexpected error occurred: it is in the framework's log");
    }

    static Problem problem(int status, String type, String title, String detail) {
        return new Problem("https://slipway.dev/problems/" + type, title, status, detail);
    }

    /** The problem as its JSON body. */
    static String json(Problem problem) {
        try {
            return Json.mapper().writeValueAsString(problem);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a problem is always written", e);
        }
    }

    static void send(RoutingContext ctx, Problem problem) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        try {
            response.setStatusCode(problem.status())
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Json.mapper().writeValueAsString(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            response.setStatusCode(500).end();
        }
    }
}
