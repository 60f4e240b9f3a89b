package dev.slipway.framework.api;

import dev.slipway.framework.build.Deployer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/**
 * {@code POST /apps/{app}/builds}: the body is the app's source as a gzip tar. It is streamed to a
 * temporary file (never held in memory), then built and released on a worker thread.
 */
final class BuildsResource {
    static final long MAX_UPLOAD_BYTES = 512L * 1024 * 1024;

    private final Deployer deployer;
    private final Path scratch;

    BuildsResource(Deployer deployer, Path scratch) {
        this.deployer = deployer;
        this.scratch = scratch;
    }

    void mount(Router router) {
        router.post("/apps/:app/builds").handler(this::build);
    }

    private void build(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        String app;
        try {
            app = AppsResource.app(ctx);
        } catch (RuntimeException e) {
            request.resume();
            Problems.send(ctx, Problems.of(e));
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && parse(length) > MAX_UPLOAD_BYTES) {
            Problems.send(ctx, Problems.problem(413, "too-large", "Upload too large",
                    "the source archive is larger than " + MAX_UPLOAD_BYTES / (1024 * 1024) + " MB"));
            return;
        }
        var fs = ctx.vertx().fileSystem();
        Future<String> upload = fs.mkdirs(scratch.toString())
                .compose(v -> fs.createTempFile(scratch.toString(), "upload-", ".tgz", (String) null));
        upload.compose(file -> fs.open(file, new OpenOptions().setWrite(true).setTruncateExisting(true))
                        .compose(out -> receive(request, out))
                        .map(v -> file))
                .onSuccess(file -> Handlers.respond(ctx, 201, () -> {
                    try {
                        Deployer.Build build = deployer.deploy(app, Path.of(file));
                        return new Bodies.BuildBody(build.id(), build.status(), Bodies.ReleaseBody.of(build.release()),
                                build.output());
                    } finally {
                        java.nio.file.Files.deleteIfExists(Path.of(file));
                    }
                }))
                .onFailure(failure -> {
                    upload.onSuccess(file -> fs.delete(file));
                    Problems.send(ctx, Problems.problem(400, "upload-failed", "Upload failed",
                            "the source archive could not be received: " + failure.getMessage()));
                });
    }

    /** Copies the body to {@code out} with backpressure, failing once it passes the size limit. */
    private static Future<Void> receive(HttpServerRequest request, AsyncFile out) {
        Promise<Void> done = Promise.promise();
        long[] received = {0};
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] > MAX_UPLOAD_BYTES) {
                request.pause();
                done.tryFail("the source archive is larger than " + MAX_UPLOAD_BYTES / (1024 * 1024) + " MB");
                return;
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                request.pause();
                out.drainHandler(v -> request.resume());
            }
        });
        request.exceptionHandler(done::tryFail);
        request.endHandler(v -> out.close().onComplete(done));
        request.resume();
        return done.future().onFailure(e -> out.close());
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
