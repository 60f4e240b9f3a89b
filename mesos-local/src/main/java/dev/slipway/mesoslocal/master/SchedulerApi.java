package dev.slipway.mesoslocal.master;

import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosCodec;
import dev.slipway.mesoslocal.auth.HttpAuthentication;
import dev.slipway.mesoslocal.http.ApiError;
import dev.slipway.mesoslocal.http.CallEndpoint;
import dev.slipway.mesoslocal.http.CallDecoding;
import dev.slipway.mesoslocal.http.EventStream;
import dev.slipway.mesoslocal.http.Negotiation;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.apache.mesos.v1.Protos.OperationState;
import org.apache.mesos.v1.Protos.OperationStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/scheduler}: the scheduler HTTP API, with the checks and answers of Mesos
 * 1.11's {@code Master::Http::scheduler}.
 */
public final class SchedulerApi extends CallEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerApi.class);

    private final Master master;

    /** {@code core} is the context the master runs on; calls are processed there. */
    public SchedulerApi(Master master, Context core) {
        super(core, "a scheduler call");
        this.master = master;
    }

    @Override
    protected void process(RoutingContext ctx, Buffer body) throws ApiError {
        MediaType contentType = CallDecoding.contentType(ctx.request());
        Call call = CallDecoding.decode(body, contentType, Call.newBuilder());
        String principal = HttpAuthentication.principal(ctx);
        String error = Validation.call(call);
        if (error == null && call.getType() == Call.Type.SUBSCRIBE && principal != null
                && call.getSubscribe().getFrameworkInfo().hasPrincipal()
                && !principal.equals(call.getSubscribe().getFrameworkInfo().getPrincipal())) {
            error = principalMismatch(principal, call.getSubscribe().getFrameworkInfo().getPrincipal());
        }
        if (error != null) {
            throw ApiError.badRequest("Failed to validate scheduler::Call: " + error);
        }
        MediaType accept = null;
        if (call.getType() == Call.Type.SUBSCRIBE || call.getType() == Call.Type.RECONCILE_OPERATIONS) {
            accept = Negotiation.responseType(ctx.request().getHeader("Accept"));
            if (accept == null) {
                throw ApiError.notAcceptable(Negotiation.notAcceptableReason());
            }
        }
        String streamId = ctx.request().getHeader(EventStream.STREAM_ID_HEADER);
        if (call.getType() == Call.Type.SUBSCRIBE) {
            if (streamId != null) {
                throw ApiError.badRequest("Subscribe calls should not include the 'Mesos-Stream-Id' header");
            }
            Call.Subscribe subscribe = call.getSubscribe();
            if (principal != null && !subscribe.getFrameworkInfo().hasPrincipal()) {
                LOG.warn("Setting 'principal' in FrameworkInfo to '{}' because the framework authenticated with"
                        + " that principal but did not set it in FrameworkInfo", principal);
                subscribe = subscribe.toBuilder().setFrameworkInfo(subscribe.getFrameworkInfo().toBuilder()
                        .setPrincipal(principal)).build();
            }
            master.subscribe(EventStream.open(ctx.response(), accept, UUID.randomUUID().toString(), core()),
                    subscribe);
            return;
        }
        Framework framework = master.framework(call.getFrameworkId().getValue());
        if (framework == null) {
            throw ApiError.badRequest("Framework cannot be found");
        }
        if (principal != null && !principal.equals(framework.info.getPrincipal())) {
            // Only the principal that registered a framework may act for it (Mesos's implicit authorization).
            throw ApiError.badRequest(principalMismatch(principal, framework.info.getPrincipal()));
        }
        if (!framework.connected()) {
            throw ApiError.forbidden("Framework is not subscribed");
        }
        if (streamId == null) {
            throw ApiError.badRequest("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }
        if (!streamId.equals(framework.stream.streamId())) {
            throw ApiError.badRequest("The stream ID '" + streamId + "' included in this request didn't match the"
                    + " stream ID currently associated with framework ID " + framework.id);
        }
        dispatch(ctx, call, framework, accept);
    }

    private void dispatch(RoutingContext ctx, Call call, Framework framework, MediaType accept) throws ApiError {
        switch (call.getType()) {
            case TEARDOWN -> master.removeFramework(framework);
            case ACCEPT -> master.accept(framework, call.getAccept());
            case DECLINE -> master.decline(framework, call.getDecline());
            case REVIVE -> master.revive(framework, call.getRevive());
            case SUPPRESS -> master.suppress(framework, call.getSuppress());
            case KILL -> master.kill(framework, call.getKill());
            case SHUTDOWN -> master.shutdown(framework, call.getShutdown());
            case ACKNOWLEDGE -> master.acknowledge(framework, call.getAcknowledge());
            case RECONCILE -> master.reconcile(framework, call.getReconcile());
            case MESSAGE -> master.message(framework, call.getMessage());
            case ACCEPT_INVERSE_OFFERS, DECLINE_INVERSE_OFFERS, ACKNOWLEDGE_OPERATION_STATUS, REQUEST -> {
                // Nothing to do: this agent never has inverse offers or operation feedback, and the
                // hierarchical allocator ignores requests.
            }
            case RECONCILE_OPERATIONS -> {
                ctx.response().setStatusCode(200).putHeader("Content-Type", accept.value())
                        .end(Buffer.buffer(MesosCodec.encode(reconcileOperations(call), accept)));
                return;
            }
            case UPDATE_FRAMEWORK -> {
                String error = master.updateFramework(framework, call.getUpdateFramework());
                if (error != null) {
                    throw ApiError.badRequest(error);
                }
                ctx.response().setStatusCode(200).end();
                return;
            }
            default -> {
                LOG.warn("Received 'UNKNOWN' call");
                throw ApiError.notImplemented();
            }
        }
        ctx.response().setStatusCode(202).end();
    }

    private static String principalMismatch(String authenticated, String inFrameworkInfo) {
        return "Authenticated principal '" + authenticated + "' does not match principal '" + inFrameworkInfo
                + "' set in `FrameworkInfo`";
    }

    /** No operation here has an id (only LAUNCH is supported), so every one asked about is unknown. */
    private static Response reconcileOperations(Call call) {
        Response.ReconcileOperations.Builder answer = Response.ReconcileOperations.newBuilder();
        for (Call.ReconcileOperations.Operation operation : call.getReconcileOperations().getOperationsList()) {
            OperationStatus.Builder status = OperationStatus.newBuilder()
                    .setOperationId(operation.getOperationId())
                    .setState(OperationState.OPERATION_UNKNOWN);
            if (operation.hasAgentId()) {
                status.setAgentId(operation.getAgentId());
            }
            answer.addOperationStatuses(status);
        }
        return Response.newBuilder().setType(Response.Type.RECONCILE_OPERATIONS).setReconcileOperations(answer).build();
    }
}
