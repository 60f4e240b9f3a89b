package dev.slipway.framework.api;

import dev.slipway.framework.build.Deployer;
import dev.slipway.slug.SlugStore;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.ReleaseStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The REST API: resources named as in the Heroku Platform API, JSON in snake_case, problem+json errors. */
public final class ApiServer {
    private final HttpServer server;

    private ApiServer(HttpServer server) {
        this.server = server;
    }

    /** What the API serves from; {@code changed} asks the scheduler for a planning round. */
    public record Parts(AppStore apps, ReleaseStore releases, InstanceStore instances, SlugStore slugs,
                        Deployer deployer, Path executorJar, Path scratch, String domain, int routerPort,
                        Runnable changed, BooleanSupplier mesosSubscribed, Supplier<Map<String, List<String>>> vetoes,
                        Clock clock) {
    }

    public static Future<ApiServer> start(Vertx vertx, String host, int port, Parts parts) {
        Router router = Router.router(vertx);
        // Builds stream their own bodies; every other call has a small JSON body.
        new BuildsResource(parts.deployer(), parts.scratch()).mount(router);
        router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.get("/health").handler(ctx -> Handlers.json(ctx, 200,
                Map.of("status", "ok", "mesos", parts.mesosSubscribed().getAsBoolean() ? "subscribed" : "disconnected")));
        new AppsResource(parts.apps(), parts.releases(), parts.instances(),
                new WebUrls(parts.domain(), parts.routerPort()), parts.changed(), parts.vetoes(), parts.clock())
                .mount(router);
        new Downloads(parts.slugs(), parts.executorJar()).mount(router);
        router.route().last().handler(ctx -> Problems.send(ctx, Problems.problem(404, "not-found", "Not found",
                "no such resource: " + ctx.request().method() + " " + ctx.request().path())));
        router.route().failureHandler(ctx -> Problems.send(ctx, ctx.failure() != null ? Problems.of(ctx.failure())
                : Problems.problem(ctx.statusCode(), "error", "Error", "the request failed with status " + ctx.statusCode())));
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen()
                .map(ApiServer::new);
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server.close();
    }
}
