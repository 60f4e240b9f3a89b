package dev.slipway.framework.api;

import dev.slipway.framework.build.BuildQueue;
import dev.slipway.framework.logs.AppLogs;
import dev.slipway.slug.FileTree;
import dev.slipway.slug.SlugStore;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /apps/{app}} ({@code apps:destroy}): cancels the app's running build, removes its
 * ZooKeeper node and everything under it (config, releases, builds, crash backoffs) and releases
 * its custom domains (see {@link AppStore#destroy}), which the scheduler sees as the app's end: it takes the instances out of the routes, kills them and forgets
 * them once they have ended. Once none is left, the route, the build output, the build cache, the
 * slugs no other app uses, the git repository and the log go too, and the call answers 200. The
 * scheduler publishes {@code app.destroyed} when it sees the app gone. Afterwards a new app may take
 * the name and finds nothing of the old one.
 */
final class Destroy {
    private static final Logger LOG = LoggerFactory.getLogger(Destroy.class);
    /** How long a running build gets to end once interrupted. */
    static final Duration BUILD_CANCEL = Duration.ofSeconds(30);
    /** How long the call waits for the instances to stop before it answers 202 (they go on stopping). */
    static final Duration INSTANCES_STOP = Duration.ofSeconds(90);
    /** When the scheduler has not stopped the instances after this long, what is left stays (logged). */
    static final Duration GIVE_UP = Duration.ofHours(1);
    private static final long POLL_MILLIS = 200;

    /** What a destroy answers. */
    record DestroyBody(String name, String message) {
    }

    /** Where an app has files: its build output, build cache and git repository live in these folders, per app. */
    record Disk(Path buildOutput, Path buildCache, Path gitRepositories) {
    }

    private final AppStore apps;
    private final ReleaseStore releases;
    private final InstanceStore instances;
    private final BuildQueue builds;
    private final AppLogs logs;
    private final SlugStore slugs;
    private final dev.slipway.framework.release.ReleaseHistory history;
    private final Disk disk;
    private final Runnable changed;

    Destroy(AppStore apps, ReleaseStore releases, InstanceStore instances, BuildQueue builds, AppLogs logs,
            SlugStore slugs, Disk disk, Runnable changed, dev.slipway.framework.release.ReleaseHistory history) {
        this.history = history;
        this.apps = apps;
        this.releases = releases;
        this.instances = instances;
        this.builds = builds;
        this.logs = logs;
        this.slugs = slugs;
        this.disk = disk;
        this.changed = changed;
    }

    void mount(Router router) {
        router.delete("/apps/:app").handler(this::destroy);
    }

    /**
     * Answers 200 once everything is removed; should the instances take longer than
     * {@link #INSTANCES_STOP} to stop (the framework not subscribed to Mesos, say), 202, and the rest
     * is removed once they have stopped (or given up after {@link #GIVE_UP}, logged).
     */
    private void destroy(RoutingContext ctx) {
        String name = AppsResource.app(ctx);
        Vertx vertx = ctx.vertx();
        ZooKeeperGate.blocking(ctx, () -> stop(name)).onFailure(failure -> Problems.send(ctx, Problems.of(failure)))
                .onSuccess(slugsUsed -> {
                    long answerBy = vertx.setTimer(INSTANCES_STOP.toMillis(), t -> Handlers.json(ctx, 202,
                            new DestroyBody(name, "app " + name + " is destroyed; some of its instances are still "
                                    + "stopping: its route and files are removed once they have")));
                    stopped(vertx, name, System.nanoTime() + GIVE_UP.toNanos())
                            .compose(done -> vertx.executeBlocking(() -> removeTheRest(name, slugsUsed), false))
                            .onComplete(result -> {
                                boolean waiting = vertx.cancelTimer(answerBy);
                                if (result.failed()) {
                                    LOG.warn("app {}: what is left of it could not be removed: {}", name,
                                            result.cause().getMessage());
                                }
                                if (waiting && result.succeeded()) {
                                    Handlers.json(ctx, 200, result.result());
                                } else if (waiting) {
                                    Problems.send(ctx, Problems.of(result.cause()));
                                }
                            });
                });
    }

    /** Ends the build, removes the app's node; answers the slugs its releases used. */
    private Set<String> stop(String name) throws InterruptedException {
        App app = apps.require(name).value();
        if (!builds.cancel(name, BUILD_CANCEL)) {
            throw new Conflict("the build of app '" + name + "' did not end within " + BUILD_CANCEL.toSeconds()
                    + " s of being cancelled: nothing was destroyed; try again");
        }
        Set<String> used = releases.list(name).stream().map(Release::slug).collect(Collectors.toSet());
        apps.destroy(app.name());
        LOG.info("app {} destroyed: stopping its instances", name);
        changed.run();
        return used;
    }

    /** Completes once no instance of the app is stored any more (the scheduler forgets them as they end). */
    private Future<Void> stopped(Vertx vertx, String name, long deadline) {
        Promise<Void> done = Promise.promise();
        poll(vertx, name, deadline, done);
        return done.future();
    }

    private void poll(Vertx vertx, String name, long deadline, Promise<Void> done) {
        vertx.executeBlocking(() -> instances.list(name).size(), false).onComplete(counted -> {
            if (counted.failed()) {
                done.fail(counted.cause());
            } else if (counted.result() == 0) {
                done.complete();
            } else if (System.nanoTime() > deadline) {
                done.fail(new dev.slipway.zk.Unavailable("app '" + name + "' is destroyed, but " + counted.result()
                        + " of its instances have not stopped within " + GIVE_UP.toMinutes() + " minutes: its route "
                        + "and files are left", null));
            } else {
                vertx.setTimer(POLL_MILLIS, t -> poll(vertx, name, deadline, done));
            }
        });
    }

    private DestroyBody removeTheRest(String name, Set<String> slugsUsed) {
        apps.routes().delete(name);
        // Those no other app's release names; under the history's fence, as its trims (a build may be
        // storing the same slug for another app right now).
        int removed = history.collect(slugsUsed);
        FileTree.delete(disk.buildOutput().resolve(name));
        FileTree.delete(disk.buildCache().resolve(name));
        FileTree.delete(disk.gitRepositories().resolve(name + ".git"));
        logs.forget(name);
        LOG.info("app {}: its route, build output, build cache, git repository, log and {} slug(s) removed", name,
                removed);
        return new DestroyBody(name, "app " + name + " destroyed: its instances stopped, and its releases, builds, "
                + "slugs, build cache, logs and git repository are removed");
    }
}
