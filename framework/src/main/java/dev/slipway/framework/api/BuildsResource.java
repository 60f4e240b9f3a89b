package dev.slipway.framework.api;

import dev.slipway.framework.api.Bodies.BuildBody;
import dev.slipway.framework.auth.Caller;
import dev.slipway.framework.build.BuildQueue;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Build;
import dev.slipway.zk.BuildStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds, as in Heroku's build API. {@code POST /apps/{app}/builds} takes the app's source as a
 * gzip tar, streamed to a temporary file (never held in memory), and answers 201 with the pending
 * build as soon as it is received; the build runs in the background. {@code GET} shows builds,
 * and {@code GET .../output} streams a build's output as it is written.
 */
final class BuildsResource {
    /** When a build was created, to the nanosecond, then its id: keys whose text sorts as their time. */
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
            .withZone(ZoneOffset.UTC);
    /** Builds newest first, as {@code GET} always listed them. */
    private static final Paging<BuildBody> BUILDS = new Paging<>("created_at",
            build -> CREATED.format(build.createdAt()) + "/" + build.id(), Comparator.naturalOrder(), true);

    private final AppStore apps;
    private final ReleaseStore releases;
    private final BuildStore records;
    private final BuildQueue builds;
    private final Path scratch;

    private final long maxUploadBytes;

    /**
     * @param maxUploadBytes a source archive larger than this is refused with 413 before it fills
     *                       the disk (the framework's {@code --max-upload-mb}, also a push's limit)
     */
    BuildsResource(AppStore apps, ReleaseStore releases, BuildQueue builds, Path scratch, long maxUploadBytes) {
        this.maxUploadBytes = maxUploadBytes;
        this.apps = apps;
        this.releases = releases;
        this.records = apps.builds();
        this.builds = builds;
        this.scratch = scratch;
    }

    void mount(Router router) {
        router.post("/apps/:app/builds").handler(this::create);
        router.get("/apps/:app/builds").handler(this::list);
        router.get("/apps/:app/builds/:id").handler(this::show);
        router.get("/apps/:app/builds/:id/output").handler(this::output);
    }

    private void create(RoutingContext ctx) {
        String app = Uploads.appOrRefuse(ctx, maxUploadBytes, this::tooLarge);
        if (app == null) {
            return;
        }
        HttpServerRequest request = ctx.request();
        String checksum = request.getParam("source_checksum", "");
        if (!checksum.isEmpty() && !Build.SOURCE_CHECKSUM.matcher(checksum).matches()) {
            Uploads.refuse(ctx, Problems.of(new Invalid(422, "source_checksum must be sha256: and 64 lowercase hex "
                    + "digits (the content of the source, as `slipway apply` computes it)")));
            return;
        }
        if (builds.isBuilding(app)) {
            Uploads.refuse(ctx, Problems.of(new Conflict("a build of app '" + app + "' is already running: wait for it to finish")));
            return;
        }
        Vertx vertx = ctx.vertx();
        String base = baseUrl(ctx);
        String user = Caller.of(ctx).user();
        ZooKeeperGate.blocking(ctx, () -> apps.require(app))
                .compose(found -> receive(vertx, request))
                .compose(file -> ZooKeeperGate.blocking(ctx, () -> builds.submit(app, Path.of(file), user, checksum)))
                .onSuccess(build -> {
                    ctx.response().putHeader("Location", "/apps/" + app + "/builds/" + build.id());
                    Handlers.json(ctx, 201, BuildBody.of(build, outputUrl(base, build), null));
                })
                .onFailure(failure -> Uploads.refuse(ctx, Problems.of(failure)));
    }

    private void list(RoutingContext ctx) {
        String base = baseUrl(ctx);
        String user = Caller.of(ctx).user();
        BUILDS.respond(ctx, () -> {
            String app = apps.require(AppsResource.app(ctx)).value().name();
            Map<Integer, Release> released = releases.list(app).stream()
                    .collect(Collectors.toMap(Release::version, Function.identity()));
            return records.list(app).stream()
                    .map(build -> BuildBody.of(build, outputUrl(base, build), released.get(build.release())))
                    .toList();
        }, build -> build);
    }

    private void show(RoutingContext ctx) {
        String base = baseUrl(ctx);
        String user = Caller.of(ctx).user();
        Handlers.respond(ctx, 200, () -> {
            Build build = find(ctx);
            Release release = build.release() == 0 ? null : releases.get(build.app(), build.release()).orElse(null);
            return BuildBody.of(build, outputUrl(base, build), release);
        });
    }

    /** The build's output: all of it so far, then each line as it comes, until the build ends. */
    private void output(RoutingContext ctx) {
        ZooKeeperGate.blocking(ctx, () -> find(ctx))
                .onSuccess(build -> OutputTail.send(ctx, builds.logFile(build.app(), build.id()), builds.live(build.id())))
                .onFailure(failure -> Problems.send(ctx, Problems.of(failure)));
    }

    private Build find(RoutingContext ctx) {
        String app = apps.require(AppsResource.app(ctx)).value().name();
        return records.require(app, ctx.pathParam("id"));
    }

    /**
     * Copies the body to a new temporary file with backpressure; fails once it passes the size
     * limit, or at once when it does not start as gzip does.
     */
    private Future<String> receive(Vertx vertx, HttpServerRequest request) {
        var fs = vertx.fileSystem();
        Future<String> created = fs.mkdirs(scratch.toString())
                .compose(v -> fs.createTempFile(scratch.toString(), "upload-", ".tgz", (String) null));
        return created.compose(file -> fs.open(file, new OpenOptions().setWrite(true).setTruncateExisting(true))
                        .compose(out -> copy(request, out))
                        .map(v -> file))
                .onFailure(failure -> created.onSuccess(fs::delete))
                .recover(failure -> Future.failedFuture(failure instanceof Invalid ? failure
                        : new Invalid(400, "the source archive could not be received: " + failure.getMessage())));
    }

    private Future<Void> copy(HttpServerRequest request, AsyncFile out) {
        Promise<Void> done = Promise.promise();
        GzipStart start = new GzipStart();
        long[] received = {0};
        request.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            received[0] += chunk.length();
            if (received[0] > maxUploadBytes) {
                request.pause();
                done.tryFail(tooLarge());
                return;
            }
            if (!start.accepts(chunk)) {
                request.pause();
                done.tryFail(notGzip());
                return;
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                request.pause();
                out.drainHandler(v -> request.resume());
            }
        });
        request.exceptionHandler(done::tryFail);
        request.endHandler(v -> {
            if (!start.complete()) {
                done.tryFail(received[0] == 0 ? new Invalid(400, "the upload is empty: send the source as a gzip tar")
                        : notGzip());
                return;
            }
            out.close().onComplete(closed -> {
                if (closed.succeeded()) {
                    done.tryComplete();
                } else {
                    done.tryFail(closed.cause());
                }
            });
        });
        request.resume();
        return done.future().onFailure(e -> out.close());
    }

    /** Checks the first two bytes of an upload against gzip's magic number, as they arrive. */
    private static final class GzipStart {
        private static final int[] MAGIC = {0x1f, 0x8b};
        private int seen;

        boolean accepts(Buffer chunk) {
            for (int i = 0; i < chunk.length() && seen < MAGIC.length; i++, seen++) {
                if ((chunk.getByte(i) & 0xff) != MAGIC[seen]) {
                    return false;
                }
            }
            return true;
        }

        boolean complete() {
            return seen == MAGIC.length;
        }
    }

    private Invalid tooLarge() {
        return new Invalid(413, "the source archive is larger than " + maxUploadBytes / (1024 * 1024) + " MB, the "
                + "framework's limit (--max-upload-mb): deploy a directory without build output or large files");
    }

    private static Invalid notGzip() {
        return new Invalid(400, "the upload is not a gzip-compressed tar archive: send the source as `tar czf`"
                + " makes it");
    }

    /** The API's own URL as this client reaches it, for the links in answers. */
    private static String baseUrl(RoutingContext ctx) {
        try {
            return URI.create(ctx.request().absoluteURI()).resolve("/").toString();
        } catch (RuntimeException e) {
            return "/";
        }
    }

    private static String outputUrl(String base, Build build) {
        return base + "apps/" + build.app() + "/builds/" + build.id() + "/output";
    }
}
