package dev.slipway.framework.api;

import dev.slipway.framework.mesos.ExecutorJar;
import dev.slipway.slug.SlugStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What agents fetch: slugs by digest and the executor jar, by its digest too (see
 * {@link ExecutorJar}). Both answer HEAD with their {@code Content-Length}, which a Mesos agent asks
 * for before it downloads a URI into its fetcher cache.
 */
final class Downloads {
    private final SlugStore slugs;
    private final ExecutorJar executorJar;

    /** Reads the executor jar's digest: blocking, once, at start-up. */
    Downloads(SlugStore slugs, Path executorJar) {
        this.slugs = slugs;
        this.executorJar = ExecutorJar.of(executorJar);
    }

    void mount(Router router) {
        router.route("/slugs/:file").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::slug);
        router.route("/executor/:digest/" + ExecutorJar.FILE_NAME).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(this::executor);
        // The URL before it named the digest, for launches made by an older framework.
        router.route("/executor/" + ExecutorJar.FILE_NAME).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(this::sendExecutor);
    }

    private void slug(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        String digest = file.endsWith(".tgz") ? file.substring(0, file.length() - 4) : file;
        Optional<Path> path = slugs.path(digest);
        if (path.isEmpty()) {
            Problems.send(ctx, Problems.problem(404, "not-found", "Not found", "no slug " + digest));
            return;
        }
        send(ctx, path.get(), "application/gzip");
    }

    private void executor(RoutingContext ctx) {
        String digest = ctx.pathParam("digest");
        if (!digest.equals(executorJar.digest())) {
            // Never another jar under this digest: an agent may cache what it gets for good.
            Problems.send(ctx, Problems.problem(404, "not-found", "Not found", "no executor jar " + digest
                    + " here; this framework serves " + executorJar.urlPath()));
            return;
        }
        sendExecutor(ctx);
    }

    private void sendExecutor(RoutingContext ctx) {
        send(ctx, executorJar.path(), "application/java-archive");
    }

    /** The file, or for HEAD only its length: Vert.x's sendFile would send the body to a HEAD too. */
    private static void send(RoutingContext ctx, Path file, String contentType) {
        ctx.response().putHeader("Content-Type", contentType);
        if (ctx.request().method() != HttpMethod.HEAD) {
            ctx.response().sendFile(file.toString());
            return;
        }
        ctx.vertx().fileSystem().props(file.toString())
                .onSuccess(props -> ctx.response().putHeader("Content-Length", Long.toString(props.size())).end())
                .onFailure(ctx::fail);
    }
}
