package dev.slipway.mesoslocal.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Mesos v1 call endpoint ({@code /api/v1/scheduler}, {@code /api/v1/executor}): POST only, the
 * whole body read, then processed on the context its state lives on, {@link ApiError}s answered.
 */
public abstract class CallEndpoint implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(CallEndpoint.class);

    private final Context core;
    private final String what;

    /** {@code core} is the context the state runs on; {@code what} names the calls in logs. */
    protected CallEndpoint(Context core, String what) {
        this.core = core;
        this.what = what;
    }

    @Override
    public final void handle(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            ApiError.methodNotAllowed(ctx.request().method().name()).respond(ctx.response());
            return;
        }
        ctx.request().body()
                .onSuccess(body -> onCore(() -> {
                    try {
                        process(ctx, body);
                    } catch (ApiError e) {
                        e.respond(ctx.response());
                    }
                }))
                .onFailure(e -> LOG.debug("Could not read {}: {}", what, e.toString()));
    }

    /** The context the endpoint's state runs on. */
    protected final Context core() {
        return core;
    }

    private void onCore(Runnable action) {
        if (Vertx.currentContext() == core) {
            action.run();
        } else {
            core.runOnContext(v -> action.run());
        }
    }

    /** Decodes, validates and carries out one call; runs on the core context. */
    protected abstract void process(RoutingContext ctx, Buffer body) throws ApiError;
}
