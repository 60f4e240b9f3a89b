package dev.slipway.framework.api;

import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.auth.Signer;
import dev.slipway.framework.build.BuildQueue;
import dev.slipway.framework.build.Deployer;
import dev.slipway.framework.events.EventLog;
import dev.slipway.framework.git.GitSettings;
import dev.slipway.framework.git.Repositories;
import dev.slipway.framework.logs.AppLogs;
import dev.slipway.framework.offer.AgentRoom;
import dev.slipway.slug.SlugStore;
import dev.slipway.zk.AppStore;
import dev.slipway.framework.schedule.OneOffDesk;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.ReleaseStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The REST API: resources named as in the Heroku Platform API, JSON in snake_case, problem+json
 * errors. It runs the app builds it accepts (see {@link BuildQueue}); at start-up, builds the last
 * run left pending are marked failed.
 */
public final class ApiServer {
    /** Fetches and pushes served at once; more wait for a thread. */
    private static final int GIT_THREADS = 8;
    /** The largest JSON body a call takes. */
    static final int MAX_JSON_BYTES = 64 * 1024;
    private final HttpServer server;
    private final BuildQueue builds;
    private final Forwarding forwarding;
    private final WorkerExecutor gitWorkers;
    private final Router router;

    private ApiServer(HttpServer server, BuildQueue builds, Forwarding forwarding, WorkerExecutor gitWorkers,
                      Router router) {
        this.router = router;
        this.server = server;
        this.builds = builds;
        this.forwarding = forwarding;
        this.gitWorkers = gitWorkers;
    }

    /**
     * What the API serves from; {@code changed} asks the scheduler for a planning round.
     *
     * @param scratch     where uploads are received
     * @param buildOutput where builds keep their output ({@code <buildOutput>/<app>/<id>.log})
     * @param logs        the apps' logs: executors ship to them, clients read them, builds write to them
     * @param resources what instances get from the framework: the kill grace of apps that set none
     *                  (shown as theirs), the sizes process types may have and the executor's share
     * @param agents    the agents seen in offers, so that a size none of them could hold is refused
     * @param events    the events {@code GET /events} streams: the API and its builds publish to them,
     *                  and so does the scheduler
     * @param oneOffs   where one-off dynos ({@code slipway run}) are asked for: the leading scheduler
     */
    public record Parts(AppStore apps, ReleaseStore releases, InstanceStore instances, SlugStore slugs,
                        Deployer deployer, Path executorJar, Path scratch, Path buildOutput, String domain,
                        int routerPort, Runnable changed, BooleanSupplier mesosSubscribed,
                        Supplier<Map<String, List<String>>> vetoes, Clock clock, AppLogs logs,
                        FrameworkConfig.Resources resources, AgentRoom agents, GitSettings git,
                        EventLog events, OneOffDesk oneOffs) {
        /**
         * Keeps build output in {@code build-output} beside {@code scratch} (both in the data
         * directory), the apps' logs to itself (see {@link #withLogs}), the framework's built-in
         * resources (see {@link #withResources}), no agents seen (see {@link #withAgents}), git's
         * defaults (see {@link #withGit}) and events of its own (see {@link #withEvents}).
         */
        public Parts(AppStore apps, ReleaseStore releases, InstanceStore instances, SlugStore slugs,
                     Deployer deployer, Path executorJar, Path scratch, String domain, int routerPort,
                     Runnable changed, BooleanSupplier mesosSubscribed, Supplier<Map<String, List<String>>> vetoes,
                     Clock clock) {
            this(apps, releases, instances, slugs, deployer, executorJar, scratch,
                    scratch.toAbsolutePath().resolveSibling("build-output"), domain, routerPort, changed,
                    mesosSubscribed, vetoes, clock, new AppLogs(clock), FrameworkConfig.Resources.DEFAULT,
                    new AgentRoom(), GitSettings.DEFAULT, new EventLog(clock), OneOffDesk.NONE);
        }

        /** These parts with {@code logs}, the apps' logs the scheduler also writes to. */
        public Parts withLogs(AppLogs logs) {
            return new Parts(apps, releases, instances, slugs, deployer, executorJar, scratch, buildOutput, domain,
                    routerPort, changed, mesosSubscribed, vetoes, clock, logs, resources, agents, git, events, oneOffs);
        }

        /** These parts with {@code newResources}, what the scheduler gives instances. */
        public Parts withResources(FrameworkConfig.Resources newResources) {
            return new Parts(apps, releases, instances, slugs, deployer, executorJar, scratch, buildOutput, domain,
                    routerPort, changed, mesosSubscribed, vetoes, clock, logs, newResources, agents, git, events, oneOffs);
        }

        /** These parts with {@code room}, the agents the scheduler has seen. */
        public Parts withAgents(AgentRoom room) {
            return new Parts(apps, releases, instances, slugs, deployer, executorJar, scratch, buildOutput, domain,
                    routerPort, changed, mesosSubscribed, vetoes, clock, logs, resources, room, git, events, oneOffs);
        }

        /** These parts with {@code settings} for {@code git push}. */
        public Parts withGit(GitSettings settings) {
            return new Parts(apps, releases, instances, slugs, deployer, executorJar, scratch, buildOutput, domain,
                    routerPort, changed, mesosSubscribed, vetoes, clock, logs, resources, agents, settings, events, oneOffs);
        }

        /** These parts with {@code log}, the events the scheduler also publishes to. */
        public Parts withEvents(EventLog log) {
            return new Parts(apps, releases, instances, slugs, deployer, executorJar, scratch, buildOutput, domain,
                    routerPort, changed, mesosSubscribed, vetoes, clock, logs, resources, agents, git, log, oneOffs);
        }

        /** These parts with {@code desk}, where one-off dynos are asked for (the leading scheduler). */
        public Parts withOneOffs(OneOffDesk desk) {
            return new Parts(apps, releases, instances, slugs, deployer, executorJar, scratch, buildOutput, domain,
                    routerPort, changed, mesosSubscribed, vetoes, clock, logs, resources, agents, git, events, desk);
        }

        /** Where the apps' git repositories are: {@code git} beside {@code scratch}, in the data directory. */
        public Path gitRepositories() {
            return scratch.toAbsolutePath().resolveSibling("git");
        }
    }

    /** An API reached only at its listen address, with no other origins or names allowed: for tests. */
    public static Future<ApiServer> start(Vertx vertx, String host, int port, Parts parts) {
        return start(vertx, host, port, null, ApiAccess.NONE, parts);
    }

    /**
     * Starts the API on {@code host}:{@code port}, reached by its clients at {@code advertiseUrl}
     * (null: at its listen address), with the other origins and names {@code access} allows.
     */
    public static Future<ApiServer> start(Vertx vertx, String host, int port, URI advertiseUrl, ApiAccess access,
                                          Parts parts) {
        return start(vertx, host, port, advertiseUrl, access, parts, null);
    }

    /**
     * The same, for one of several framework instances ({@code standing}; null for the only one):
     * while it follows, it forwards every call but {@code /health}, {@code /ready} and {@code /openapi.json} to the
     * leader (which authenticates it), and builds left
     * pending are failed by the leader when it is elected ({@link #failInterruptedBuilds}), not here.
     */
    public static Future<ApiServer> start(Vertx vertx, String host, int port, URI advertiseUrl, ApiAccess access,
                                          Parts parts, Standing standing) {
        BrowserGuard guard = BrowserGuard.of(host, advertiseUrl, access);
        BuildQueue builds = new BuildQueue(parts.deployer(), parts.apps().builds(), parts.buildOutput(), parts.logs(),
                parts.events(), parts.clock());
        Forwarding forwarding = standing == null ? null : new Forwarding(vertx, standing);
        // Pushes hold a thread for as long as their build runs: a pool of their own, not Vert.x's.
        WorkerExecutor gitWorkers = vertx.createSharedWorkerExecutor("slipway-git-" + System.identityHashCode(builds),
                GIT_THREADS, 2, TimeUnit.HOURS);
        return vertx.executeBlocking(() -> {
            if (standing == null) {
                builds.failInterruptedBuilds();
            }
            // Reads the whole executor jar for its digest, the OpenAPI files and the signing key: not on an event loop.
            return new Loaded(new Downloads(parts.slugs(), parts.executorJar()), OpenApi.load(),
                    new Signer(parts.apps().accounts().signingKey()));
        }, false).compose(loaded -> {
            Router router = router(vertx, parts, builds, loaded, guard, forwarding, standing, gitWorkers);
            return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                            .setMaxInitialLineLength(HttpErrors.MAX_REQUEST_LINE)
                            .setMaxHeaderSize(HttpErrors.MAX_HEADERS))
                    .invalidRequestHandler(HttpErrors::invalidRequest)
                    .requestHandler(HttpErrors.checkingHost(router))
                    .listen()
                    .map(server -> new ApiServer(server, builds, forwarding, gitWorkers, router));
        })
                .onFailure(failure -> {
                    builds.close();
                    gitWorkers.close();
                    if (forwarding != null) {
                        forwarding.close();
                    }
                });
    }

    /** What is read from files and ZooKeeper before the API serves. */
    private record Loaded(Downloads downloads, OpenApi openApi, Signer signer) {
    }

    private static Router router(Vertx vertx, Parts parts, BuildQueue builds, Loaded loaded,
                                 BrowserGuard guard, Forwarding forwarding, Standing standing,
                                 WorkerExecutor gitWorkers) {
        Router router = Router.router(vertx);
        WebUrls urls = new WebUrls(parts.domain(), parts.routerPort());
        ZooKeeperGate zookeeper = new ZooKeeperGate(parts.apps().connection());
        router.route().handler(HttpErrors::checkPath);
        router.route().handler(guard);
        router.route().handler(zookeeper);
        if (forwarding != null) {
            // Before any handler reads a body: a follower streams it to the leader untouched.
            router.route().handler(forwarding);
        }
        // Who calls, and whether it may: before any resource, on the leader (a follower forwards the
        // Authorization header with the call).
        Authentication authentication = new Authentication(parts.apps(), loaded.signer(), parts.clock());
        router.route().handler(authentication);
        // Uploads stream their own bodies; every other call has a small JSON body.
        new BuildsResource(parts.apps(), parts.releases(), builds, parts.scratch(), parts.git().maxPushBytes()).mount(router);
        new LogsResource(parts.apps(), parts.logs(), parts.clock()).mount(router);
        new EventsResource(parts.apps(), parts.events(), Sse.KEEP_ALIVE, EventStream.MAX_WAITING, parts.clock()).mount(router);
        new GitResource(parts.apps(), builds, new Repositories(parts.gitRepositories(), parts.git()), parts.git(), urls,
                parts.scratch(), gitWorkers).mount(router);
        router.route().handler(BodyHandler.create().setBodyLimit(MAX_JSON_BYTES));
        new Health(zookeeper, parts.mesosSubscribed(), standing).mount(router);
        loaded.openApi().mount(router);
        new AppsResource(parts.apps(), parts.releases(), parts.instances(),
                new AppBodies(urls, parts.resources().killGraceSeconds(), parts.apps().deployments()), parts.changed(),
                parts.vetoes(), parts.clock(), new SizeRequest.Rules(parts.resources(), parts.agents()), parts.events(),
                parts.logs())
                .mount(router);
        new Runs(parts.apps(), parts.instances(), parts.oneOffs(), new SizeRequest.Rules(parts.resources(),
                parts.agents()), parts.logs()).mount(router);
        new Restarts(parts.apps(), parts.releases(), parts.changed()).mount(router);
        new Destroy(parts.apps(), parts.releases(), parts.instances(), builds, parts.logs(), parts.slugs(),
                new Destroy.Disk(parts.buildOutput(), parts.scratch().toAbsolutePath().resolveSibling("cache"),
                        parts.gitRepositories()), parts.changed(), parts.deployer().history()).mount(router);
        new ConfigVarsResource(parts.apps(), parts.releases(), new dev.slipway.framework.release.Releaser(parts.apps(),
                parts.releases(), parts.deployer().history(), parts.events(), parts.changed(), parts.clock()))
                .mount(router);
        new DeploymentsResource(parts.apps()).mount(router);
        new DomainsResource(parts.apps(), parts.domain(), parts.changed(), parts.clock()).mount(router);
        new FeaturesResource(parts.apps(), parts.changed()).mount(router);
        new SniEndpointsResource(parts.apps(), parts.domain(), parts.clock()).mount(router);
        new BuildpacksResource(parts.apps()).mount(router);
        new AccountsResource(parts.apps().accounts(), parts.clock(), authentication::forget).mount(router);
        new RouterCredentials(loaded.signer()).mount(router);
        loaded.downloads().mount(router);
        router.route().last().handler(HttpErrors.unrouted(router));
        router.route().failureHandler(ApiServer::failed);
        return router;
    }

    /** A failure raised by a handler, or a request Vert.x refused (a malformed one: no Host...). */
    private static void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status >= 400 && status < 500 && !(ctx.failure() instanceof Invalid)) {
            // Vert.x's own refusals: their messages are for programmers, not for the client.
            if (status == 413) {
                Problems.send(ctx, Problems.problem(413, "too-large", "Body too large", "the body is larger than "
                        + MAX_JSON_BYTES / 1024 + " KB, the most a JSON call takes"));
                return;
            }
            Problems.send(ctx, Problems.problem(status, status == 400 ? "bad-request" : "error",
                    status == 400 ? "Bad request" : "Error", "the request is malformed or not allowed here (HTTP "
                            + status + ")"));
            return;
        }
        Problems.send(ctx, ctx.failure() != null ? Problems.of(ctx.failure())
                : Problems.problem(status, "error", "Error", "the request failed with status " + status));
    }

    /** The routes this API serves, read from its router. */
    public RouteTable routes() {
        return RouteTable.of(router);
    }

    /** The builds this API runs. */
    BuildQueue builds() {
        return builds;
    }

    /**
     * Marks failed the builds that were running when the last leader stopped (blocking): for a
     * newly elected leader.
     */
    public void failInterruptedBuilds() {
        builds.failInterruptedBuilds();
    }

    public int port() {
        return server.actualPort();
    }

    /** Stops listening, takes no more builds and interrupts the running ones. */
    public Future<Void> close() {
        builds.close();
        gitWorkers.close();
        if (forwarding != null) {
            forwarding.close();
        }
        return server.close();
    }
}
