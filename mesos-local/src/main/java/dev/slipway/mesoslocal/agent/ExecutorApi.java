package dev.slipway.mesoslocal.agent;

import dev.slipway.mesos.MediaType;
import dev.slipway.mesoslocal.auth.HttpAuthentication;
import dev.slipway.mesoslocal.http.ApiError;
import dev.slipway.mesoslocal.http.CallEndpoint;
import dev.slipway.mesoslocal.http.CallDecoding;
import dev.slipway.mesoslocal.http.EventStream;
import dev.slipway.mesoslocal.http.Negotiation;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.apache.mesos.v1.executor.Protos.Call;

/** {@code POST /api/v1/executor}: the executor HTTP API, answered as a Mesos 1.11 agent answers. */
public final class ExecutorApi extends CallEndpoint {
    private final Agent agent;

    /** {@code core} is the context the agent runs on; calls are processed there. */
    public ExecutorApi(Agent agent, Context core) {
        super(core, "an executor call");
        this.agent = agent;
    }

    @Override
    protected void process(RoutingContext ctx, Buffer body) throws ApiError {
        MediaType contentType = CallDecoding.contentType(ctx.request());
        Call call = CallDecoding.decode(body, contentType, Call.newBuilder());
        String error = ExecutorCalls.validate(call);
        if (error != null) {
            throw ApiError.badRequest("Failed to validate Executor::Call: " + error);
        }
        MediaType accept = null;
        if (call.getType() == Call.Type.SUBSCRIBE) {
            accept = Negotiation.responseType(ctx.request().getHeader("Accept"));
            if (accept == null) {
                throw ApiError.notAcceptable(Negotiation.notAcceptableReason());
            }
        } else if (call.getType() == Call.Type.HEARTBEAT) {
            ctx.response().setStatusCode(202).end();
            return;
        }
        String frameworkId = call.getFrameworkId().getValue();
        if (!agent.frameworkIds().contains(frameworkId)) {
            throw ApiError.badRequest("Framework cannot be found");
        }
        Executor executor = agent.executor(frameworkId, call.getExecutorId().getValue());
        if (executor == null) {
            throw ApiError.badRequest("Executor cannot be found");
        }
        Map<String, String> claims = HttpAuthentication.claims(ctx);
        if (claims != null) {
            String refused = refusedClaims(claims, frameworkId, executor);
            if (refused != null) {
                throw ApiError.forbidden("Authenticated principal '" + new JsonObject(Map.copyOf(claims)).encode()
                        + "' does not " + refused);
            }
        }
        if (executor.state == Executor.State.REGISTERING && call.getType() != Call.Type.SUBSCRIBE) {
            throw ApiError.forbidden("Executor is not subscribed");
        }
        switch (call.getType()) {
            case SUBSCRIBE -> agent.subscribe(executor, EventStream.open(ctx.response(), accept, null, core()),
                    call.getSubscribe());
            case UPDATE -> {
                agent.update(executor, call.getUpdate().getStatus());
                ctx.response().setStatusCode(202).end();
            }
            case MESSAGE -> {
                agent.message(executor, call.getMessage());
                ctx.response().setStatusCode(202).end();
            }
            default -> throw ApiError.notImplemented();
        }
    }

    /** What the token's claims lack for this call (slave/http.cpp verifyExecutorClaims); null when none. */
    private static String refusedClaims(Map<String, String> claims, String frameworkId, Executor executor) {
        if (!frameworkId.equals(claims.get("fid"))) {
            return "contain an 'fid' claim with the framework ID " + frameworkId + ", which is set in the call";
        }
        if (!executor.id().equals(claims.get("eid"))) {
            return "contain an 'eid' claim with the executor ID " + executor.id() + ", which is set in the call";
        }
        if (!executor.containerId.equals(claims.get("cid"))) {
            return "contain a 'cid' claim with the correct active ContainerID";
        }
        return null;
    }
}
