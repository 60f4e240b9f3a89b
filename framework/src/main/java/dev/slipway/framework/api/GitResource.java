package dev.slipway.framework.api;

import dev.slipway.framework.build.BuildQueue;
import dev.slipway.framework.git.GitSettings;
import dev.slipway.framework.git.PushDeploy;
import dev.slipway.framework.git.Repositories;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.Unavailable;
import io.vertx.core.Context;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git's smart HTTP protocol at {@code /git/<app>.git}, served by JGit's {@link ReceivePack} and
 * {@link UploadPack} on a worker pool of their own (they block, for as long as a push's build
 * takes): {@code git push} deploys (see {@link PushDeploy}), {@code git fetch} and {@code git clone}
 * read back what was pushed. Bodies stream both ways ({@link RequestInput}, {@link ResponseOutput});
 * a push larger than {@link GitSettings#maxPushBytes()} is refused with 413 before it fills the
 * disk. Mounted before the body handler: it reads its own bodies.
 */
final class GitResource {
    static final String UPLOAD_PACK = "git-upload-pack";
    static final String RECEIVE_PACK = "git-receive-pack";
    private static final Logger LOG = LoggerFactory.getLogger(GitResource.class);

    private final AppStore apps;
    private final BuildQueue builds;
    private final Repositories repositories;
    private final GitSettings settings;
    private final WebUrls urls;
    private final Path scratch;
    private final WorkerExecutor workers;

    GitResource(AppStore apps, BuildQueue builds, Repositories repositories, GitSettings settings, WebUrls urls,
                Path scratch, WorkerExecutor workers) {
        this.apps = apps;
        this.builds = builds;
        this.repositories = repositories;
        this.settings = settings;
        this.urls = urls;
        this.scratch = scratch;
        this.workers = workers;
    }

    void mount(Router router) {
        router.get("/git/:app.git/info/refs").handler(this::advertise);
        router.post("/git/:app.git/" + UPLOAD_PACK).handler(ctx -> serve(ctx, UPLOAD_PACK));
        router.post("/git/:app.git/" + RECEIVE_PACK).handler(ctx -> serve(ctx, RECEIVE_PACK));
    }

    /** The app a path names ({@code <app>.git}); {@link NotFound} for any other name. */
    static String app(RoutingContext ctx) {
        String name = ctx.pathParam("app");
        String path = ctx.normalizedPath();
        if (!AppName.isValid(name) || !path.startsWith("/git/" + name + ".git/")) {
            throw new NotFound("no such git repository: the git URL of an app is /git/<app>.git");
        }
        return name;
    }

    /** {@code GET info/refs?service=...}: the refs, as the first step of a fetch or a push. */
    private void advertise(RoutingContext ctx) {
        String service = ctx.request().getParam("service");
        if (!UPLOAD_PACK.equals(service) && !RECEIVE_PACK.equals(service)) {
            Problems.send(ctx, Problems.of(new Invalid(400, "only git's smart HTTP protocol is served: ask for "
                    + "info/refs?service=git-upload-pack or git-receive-pack (a git client does)")));
            return;
        }
        String app;
        try {
            app = app(ctx);
        } catch (NotFound e) {
            Problems.send(ctx, Problems.of(e));
            return;
        }
        ZooKeeperGate.blocking(ctx, () -> apps.require(app))
                .compose(found -> workers.executeBlocking(() -> advertisement(app, service), false))
                .onSuccess(bytes -> ctx.response().setStatusCode(200)
                        .putHeader("Content-Type", "application/x-" + service + "-advertisement")
                        .putHeader("Cache-Control", "no-cache, max-age=0, must-revalidate")
                        .end(Buffer.buffer(bytes)))
                .onFailure(failure -> Problems.send(ctx, problem(app, "info/refs", failure)));
    }

    private byte[] advertisement(String app, String service) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PacketLineOut lines = new PacketLineOut(bytes);
        lines.writeString("# service=" + service + "\n");
        lines.end();
        RefAdvertiser.PacketLineOutRefAdvertiser advertiser = new RefAdvertiser.PacketLineOutRefAdvertiser(lines);
        try (Repository repository = open(app, service)) {
            if (UPLOAD_PACK.equals(service)) {
                UploadPack upload = uploadPack(repository);
                upload.sendAdvertisedRefs(advertiser);
            } else {
                receivePack(app, repository, null).sendAdvertisedRefs(advertiser);
            }
        }
        return bytes.toByteArray();
    }

    /** {@code POST git-upload-pack} or {@code git-receive-pack}: the fetch or the push itself. */
    private void serve(RoutingContext ctx, String service) {
        HttpServerRequest request = ctx.request();
        request.pause();
        String app;
        try {
            app = app(ctx);
        } catch (NotFound e) {
            Uploads.refuse(ctx, Problems.of(e));
            return;
        }
        if (Uploads.declaredOver(request, settings.maxPushBytes())) {
            Uploads.refuse(ctx, Problems.of(tooLarge()));
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        String user = dev.slipway.framework.auth.Caller.of(ctx).user();
        ZooKeeperGate.blocking(ctx, () -> apps.require(app)).onSuccess(found -> {
            if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                ctx.response().writeContinue();
            }
            RequestInput input = RequestInput.of(context, request, settings.maxPushBytes());
            ResponseOutput output = new ResponseOutput(context, ctx.response(),
                    "application/x-" + service + "-result");
            boolean gzip = "gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"));
            workers.executeBlocking(() -> {
                run(app, service, gzip ? new GZIPInputStream(input) : input, new Unstarted(output, input), user);
                return null;
            }, false).onSuccess(v -> output.finish()).onFailure(failure -> failed(ctx, app, service, input, output,
                    failure));
        }).onFailure(failure -> Uploads.refuse(ctx, Problems.of(failure)));
    }

    private void run(String app, String service, InputStream in, OutputStream output, String user)
            throws IOException {
        try (Repository repository = open(app, service);
             OutputStream out = new BufferedOutputStream(output, 16 * 1024)) {
            if (UPLOAD_PACK.equals(service)) {
                uploadPack(repository).upload(in, out, null);
            } else {
                receivePack(app, repository, user).receive(in, out, null);
            }
            out.flush();
        }
    }

    private void failed(RoutingContext ctx, String app, String service, RequestInput input, ResponseOutput output,
                        Throwable failure) {
        if (output.started()) {
            // The head is out: all that is left is to cut the answer short.
            LOG.info("{} of app {} ended early: {}", service, app, failure.getMessage());
            ctx.response().reset();
            return;
        }
        if (input.tooLarge()) {
            LOG.info("push to app {} refused: larger than {} bytes", app, settings.maxPushBytes());
            refuseTooLarge(ctx);
            return;
        }
        Uploads.refuse(ctx, problem(app, service, failure));
    }

    /** A failure before anything was answered, as a problem that names no Java class. */
    private static Problem problem(String app, String what, Throwable failure) {
        if (failure instanceof NotFound || failure instanceof Invalid || failure instanceof Unavailable) {
            return Problems.of(failure);
        }
        if (failure instanceof UncheckedIOException) {
            LOG.warn("{} of app {} failed", what, app, failure);
            return Problems.problem(500, "internal", "Internal error", "the git repository of app '" + app
                    + "' could not be opened: see the framework's log");
        }
        // JGit's own failures: a request that does not follow git's protocol.
        LOG.info("{} of app {} failed: {}", what, app, failure.getMessage());
        return Problems.of(new Invalid(400, "the git request could not be served: " + failure.getMessage()));
    }

    /**
     * The answer, held back once the body went past its limit: JGit reports a failed read as an
     * "unpack error" in a 200 answer, and the pusher is owed a 413.
     */
    private static final class Unstarted extends java.io.FilterOutputStream {
        private final RequestInput input;

        Unstarted(ResponseOutput output, RequestInput input) {
            super(output);
            this.input = input;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (input.tooLarge() && !((ResponseOutput) out).started()) {
                throw new RequestInput.TooLarge(0);
            }
            out.write(bytes, offset, length);
        }
    }

    /**
     * Answers 413 at once and drops the rest of the body as it comes (up to another limit's worth,
     * then the connection is cut): curl reads an answer sent while it uploads only if the
     * connection stays open, and a closed one would leave git saying "Broken pipe" instead.
     */
    private void refuseTooLarge(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            long[] dropped = {0};
            request.handler(chunk -> {
                dropped[0] += chunk.length();
                if (dropped[0] > settings.maxPushBytes()) {
                    request.connection().close();
                }
            });
            request.endHandler(v -> { });
            request.exceptionHandler(e -> { });
            request.resume();
        }
        Problems.send(ctx, Problems.of(tooLarge()));
    }

    private Repository open(String app, String service) {
        if (RECEIVE_PACK.equals(service)) {
            return repositories.openOrCreate(app);
        }
        return repositories.open(app).orElseThrow(() -> new NotFound("app '" + app + "' has nothing pushed yet: "
                + "push to it first (git push slipway main)"));
    }

    private static UploadPack uploadPack(Repository repository) {
        UploadPack upload = new UploadPack(repository);
        upload.setBiDirectionalPipe(false);
        return upload;
    }

    /** {@code user}: who pushes, the user of the releases its builds make (null: only advertising refs). */
    private ReceivePack receivePack(String app, Repository repository, String user) {
        ReceivePack receive = new ReceivePack(repository);
        receive.setBiDirectionalPipe(false);
        new PushDeploy(app, urls.of(app), builds, apps.builds(), settings, scratch, user).configure(receive);
        return receive;
    }

    private Invalid tooLarge() {
        return new Invalid(413, "the push is larger than " + settings.maxPushBytes() / (1024 * 1024) + " MB, the "
                + "framework's limit (--max-upload-mb): push a smaller history, or keep large files out of git");
    }
}
