package dev.slipway.framework.api;

import dev.slipway.slug.SlugStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Optional;

/** What agents fetch: slugs by digest and the executor jar. */
final class Downloads {
    private final SlugStore slugs;
    private final Path executorJar;

    Downloads(SlugStore slugs, Path executorJar) {
        this.slugs = slugs;
        this.executorJar = executorJar;
    }

    void mount(Router router) {
        router.get("/slugs/:file").handler(this::slug);
        router.get("/executor/slipway-executor.jar").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/java-archive")
                .sendFile(executorJar.toString()));
    }

    private void slug(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        String digest = file.endsWith(".tgz") ? file.substring(0, file.length() - 4) : file;
        Optional<Path> path = slugs.path(digest);
        if (path.isEmpty()) {
            Problems.send(ctx, Problems.problem(404, "not-found", "Not found", "no slug " + digest));
            return;
        }
        ctx.response().putHeader("Content-Type", "application/gzip").sendFile(path.get().toString());
    }
}
