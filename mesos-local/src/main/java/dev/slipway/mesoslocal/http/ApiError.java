package dev.slipway.mesoslocal.http;

import io.vertx.core.http.HttpServerResponse;

/**
 * A refused Mesos API request: the status and the plain-text reason Mesos gives. Mapped to a
 * response in one place, {@link #respond}.
 */
public final class ApiError extends Exception {
    private final int status;

    private ApiError(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public static ApiError badRequest(String reason) {
        return new ApiError(400, reason);
    }

    public static ApiError forbidden(String reason) {
        return new ApiError(403, reason);
    }

    public static ApiError methodNotAllowed(String method) {
        return new ApiError(405, "Expecting one of { 'POST' }, but received '" + method + "'");
    }

    public static ApiError notAcceptable(String reason) {
        return new ApiError(406, reason);
    }

    public static ApiError unsupportedMediaType(String reason) {
        return new ApiError(415, reason);
    }

    public static ApiError notImplemented() {
        return new ApiError(501, "");
    }

    public static ApiError unavailable(String reason) {
        return new ApiError(503, reason);
    }

    public int status() {
        return status;
    }

    public void respond(HttpServerResponse response) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status);
        if (status == 405) {
            response.putHeader("Allow", "POST");
        }
        response.putHeader("Content-Type", "text/plain; charset=utf-8").end(getMessage());
    }
}
