package dev.slipway.framework.api;

import dev.slipway.zk.AppStore;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.DeploymentStore;
import dev.slipway.zk.NotFound;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;

/**
 * {@code /apps/{app}/deployments}: each change of the app's release as the scheduler carried it
 * out (see docs/deployments.md), newest first, and one by its id (the release it deploys).
 */
final class DeploymentsResource {
    private static final Paging<Deployment> DEPLOYMENTS = new Paging<>("id", d -> Integer.toString(d.id()),
            Paging.numeric(), true);

    private final AppStore apps;
    private final DeploymentStore deployments;

    DeploymentsResource(AppStore apps) {
        this.apps = apps;
        this.deployments = apps.deployments();
    }

    void mount(Router router) {
        router.get("/apps/:app/deployments").handler(ctx -> DEPLOYMENTS.respond(ctx,
                () -> deployments.list(apps.require(AppsResource.app(ctx)).value().name()), DeploymentBody::of));
        router.get("/apps/:app/deployments/:id").handler(ctx -> Handlers.respond(ctx, 200, () -> one(ctx)));
    }

    private DeploymentBody one(RoutingContext ctx) {
        String name = apps.require(AppsResource.app(ctx)).value().name();
        String id = ctx.pathParam("id");
        String digits = id.startsWith("v") ? id.substring(1) : id;
        if (!digits.matches("[0-9]{1,9}") || Integer.parseInt(digits) < 1) {
            throw new NotFound("app '" + name + "' has no deployment '" + LogSafe.of(id)
                    + "': a deployment's id is the number of the release it deploys (`slipway deployments`)");
        }
        return deployments.get(name, Integer.parseInt(digits)).map(DeploymentBody::of)
                .orElseThrow(() -> new NotFound("app '" + name + "' has no deployment " + digits
                        + " (the last " + DeploymentStore.KEPT + " are kept: `slipway deployments`)"));
    }

    /** A deployment as the API shows it. */
    record DeploymentBody(int id, int fromRelease, int toRelease, int runningRelease, String state, String progress,
                          String reason, boolean automaticRollback, int timeoutSeconds, Instant createdAt,
                          Instant updatedAt, Instant finishedAt, Instant watchUntil, List<StepBody> steps) {
        static DeploymentBody of(Deployment d) {
            return new DeploymentBody(d.id(), d.from(), d.to(), d.running(), d.state().word(), d.progress(),
                    d.reason().isEmpty() ? null : d.reason(), d.automatic(), d.timeoutSeconds(), d.createdAt(),
                    d.updatedAt(), d.finishedAt(), d.watchUntil(),
                    d.steps().stream().map(s -> new StepBody(s.at(), s.message())).toList());
        }
    }

    record StepBody(Instant at, String message) {
    }
}
