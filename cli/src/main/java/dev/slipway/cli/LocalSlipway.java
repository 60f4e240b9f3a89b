package dev.slipway.cli;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.git.GitSettings;
import dev.slipway.framework.api.ApiAccess;
import dev.slipway.framework.deploy.Sizes;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.mesoslocal.MesosLocalFlags;
import dev.slipway.mesoslocal.auth.Authentication;
import dev.slipway.mesos.Credential;
import dev.slipway.docker.DockerEngine;
import dev.slipway.slug.StackImage;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.FrameworkIdStore;
import dev.slipway.zk.PrivateFiles;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every part of Slipway on this machine: ZooKeeper and mesos-local (unless real ones are named),
 * the router (a child process that outlives this JVM, see {@link RouterChild}) and the framework.
 * Used by {@code slipway up} and by the end-to-end tests.
 */
public final class LocalSlipway implements AutoCloseable {
    /** The ZooKeeper credentials file in the data directory, unless another is named. */
    public static final String ZK_CREDENTIALS = "zookeeper.credentials";
    /** The router's credential for shipping its log lines, in the router's directory of the data directory (0600). */
    static final String ROUTER_LOG_TOKEN = "log.token";
    /** The name of {@code up}'s router in its credential ({@code slwrouter.local.<signature>}). */
    static final String ROUTER_ID = "local";
    private static final Logger LOG = LoggerFactory.getLogger(LocalSlipway.class);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private URI api;
    private int routerPort;
    private int routerHttpsPort = -1;
    private URI master;
    private String zkConnect;
    private Credential mesosCredential;

    /**
     * What to run, grouped by part. Ports of 0 pick free ones.
     *
     * @param home the data directory (ZooKeeper's data, mesos-local's sandboxes, slugs, the router's files)
     */
    public record Options(Path home, ZooKeeperOptions zooKeeper, MesosOptions mesos, ApiOptions api,
                          RouterOptions router, BuildOptions builds) {
        /** Everything on loopback, every port picked free, builds on this machine: for tests. */
        public static Options forTests(Path home, Path executorJar, Path buildpacksDir) {
            return new Options(home, new ZooKeeperOptions(null, 0), new MesosOptions(null, 0, 0, false),
                    new ApiOptions("127.0.0.1", 0, null), new RouterOptions("127.0.0.1", 0, -1, -1, "localhost"),
                    new BuildOptions(executorJar, buildpacksDir, BuildPlace.HOST, null));
        }

        /** The same, building in containers of the stack image that {@code stackDir} makes. */
        public Options withContainerBuilds(Path stack) {
            return new Options(home, zooKeeper, mesos, api, router,
                    new BuildOptions(builds.executorJar(), builds.buildpacksDir(), BuildPlace.CONTAINER, stack));
        }

        /** The same, the router serving HTTPS on {@code port} too (0: any free port; -1: no HTTPS). */
        public Options withRouterHttps(int port) {
            return new Options(home, zooKeeper, mesos, api, new RouterOptions(router.host(), router.port(), port,
                    router.metricsPort(), router.domain()), builds);
        }

        /** The same, the router serving Prometheus metrics on loopback at {@code port} (0: any free port; -1: none). */
        public Options withRouterMetrics(int port) {
            return new Options(home, zooKeeper, mesos, api, new RouterOptions(router.host(), router.port(),
                    router.httpsPort(), port, router.domain()), builds);
        }
    }

    /**
     * @param connect      a ZooKeeper connect string, or null for the embedded server
     * @param embeddedPort the embedded server's port
     */
    public record ZooKeeperOptions(String connect, int embeddedPort) {
    }

    /**
     * @param master     a Mesos master URL, or null for mesos-local on {@code masterPort} and {@code agentPort}
     * @param recover    whether instances outlive Slipway (mesos-local's agent recovery)
     */
    public record MesosOptions(URI master, int masterPort, int agentPort, boolean recover) {
    }

    /**
     * @param host        the address the API listens on
     * @param advertiseUrl the API's URL as executors and the CLI reach it, or null for {@code http://host:port}
     */
    public record ApiOptions(String host, int port, URI advertiseUrl) {
    }

    /**
     * @param httpsPort   the router's HTTPS port (0: any free one), -1 for none
     * @param metricsPort the port of the router's metrics listener on loopback (0: any free one), -1 for none
     * @param domain      the base domain: apps answer at {@code <app>.<domain>}
     */
    public record RouterOptions(String host, int port, int httpsPort, int metricsPort, String domain) {
    }

    /**
     * @param place    where builds run (null: on this machine)
     * @param stackDir the stack/ folder that makes the stack image, needed for container builds
     */
    public record BuildOptions(Path executorJar, Path buildpacksDir, BuildPlace place, Path stackDir) {
        public BuildOptions {
            place = place == null ? BuildPlace.HOST : place;
            if (place != BuildPlace.HOST && stackDir == null) {
                throw new IllegalArgumentException("container builds need the stack/ folder");
            }
        }
    }

    /** Where builds run: {@code AUTO} is in containers when a Docker engine answers, else on this machine. */
    public enum BuildPlace {
        AUTO, CONTAINER, HOST;

        /** The place {@code --builds} names: auto, container or host. */
        static BuildPlace of(String option) {
            return switch (option) {
                case "auto" -> AUTO;
                case "container" -> CONTAINER;
                case "host" -> HOST;
                default -> throw new CliError("--builds must be auto, container or host, not '" + option + "'");
            };
        }
    }

    private LocalSlipway() {
    }

    /** Starts everything, reporting each part on {@code say}; stops what started if a part fails. */
    public static LocalSlipway start(Options options, Consumer<String> say) throws Exception {
        return start(options, Trust.DEFAULTS, say);
    }

    /**
     * What this Slipway trusts and authenticates with, beside {@link Options}.
     *
     * @param api               the origins and host names the API also takes
     * @param zkCredentialsFile the ZooKeeper credentials (the format of {@link ZkCredentials}); null
     *                          for {@value #ZK_CREDENTIALS} in the data directory, made with random
     *                          passwords on first start
     * @param mesosCredential   what the framework authenticates to Mesos with ({@code --mesos-principal},
     *                          {@code --mesos-secret-file}); null: for the embedded mesos-local, the
     *                          credential and executor key kept in the data directory (made on first
     *                          start), for a real master none (a master without framework authentication)
     */
    public record Trust(ApiAccess api, Path zkCredentialsFile, Credential mesosCredential) {
        public static final Trust DEFAULTS = new Trust(ApiAccess.NONE, null, null);

        public Trust {
            api = api == null ? ApiAccess.NONE : api;
        }
    }

    /** The same, with what {@code trust} says. */
    public static LocalSlipway start(Options options, Trust trust, Consumer<String> say) throws Exception {
        return start(options, trust, Sizes.DEFAULT, say);
    }

    /** The same, with {@code sizes} for the process types ({@code up --size}, {@code --default-size}). */
    public static LocalSlipway start(Options options, Trust trust, Sizes sizes, Consumer<String> say)
            throws Exception {
        return start(options, trust, sizes, GitSettings.DEFAULT, say);
    }

    /** The same, with {@code git} for pushes ({@code up --git-deploy-branch}, {@code --max-upload-mb}). */
    public static LocalSlipway start(Options options, Trust trust, Sizes sizes, GitSettings git, Consumer<String> say)
            throws Exception {
        return start(options, trust, sizes, git, FrameworkConfig.DEFAULT_KEEP_RELEASES, say);
    }

    /** The same, each app keeping its last {@code keepReleases} releases ({@code up --keep-releases}). */
    public static LocalSlipway start(Options options, Trust trust, Sizes sizes, GitSettings git, int keepReleases,
                                     Consumer<String> say) throws Exception {
        LocalSlipway slipway = new LocalSlipway();
        try {
            slipway.startAll(options, trust, sizes, git, keepReleases, say);
            return slipway;
        } catch (Exception e) {
            slipway.close();
            throw e;
        }
    }

    private void startAll(Options o, Trust trust, Sizes sizes, GitSettings git, int keepReleases,
                          Consumer<String> say)
            throws Exception {
        // Only Slipway's user may enter the data directory: ZooKeeper's log, slugs, build caches
        // and sandboxes beneath it are then out of other users' reach whatever their own modes.
        PrivateFiles.directory(o.home());
        ZkCredentials zkCredentials = zkCredentials(o, trust.zkCredentialsFile(), say);
        zkConnect = o.zooKeeper().connect();
        if (zkConnect == null) {
            EmbeddedZooKeeper server = EmbeddedZooKeeper.start(o.home().resolve("zookeeper"), o.zooKeeper().embeddedPort());
            running.push(server);
            zkConnect = server.connectString();
            say.accept("ZooKeeper (embedded) on " + zkConnect + ", data in " + o.home().resolve("zookeeper"));
        }
        // The framework's session: it takes part in the leader election (see FrameworkCommand).
        CuratorFramework curator = ZkClient.connect(zkConnect, ZkPaths.DEFAULT_CHROOT, zkCredentials.slipway(),
                zkCredentials.acls(), 30, ZkClient.FRAMEWORK_SESSION);
        running.push(curator::close);
        int migrated = zkCredentials.acls().migrate(curator);
        if (migrated > 0) {
            say.accept("ZooKeeper: " + migrated + " znodes made before digest ACLs now carry them");
        }
        if (o.zooKeeper().connect() == null) {
            zkCredentials.acls().lockRoot(curator);
        }
        master = o.mesos().master();
        Credential credential = trust.mesosCredential();
        if (master == null && !o.mesos().recover()) {
            // Instances do not outlive this Slipway: the containers a previous one left go now, and
            // this one's go once mesos-local has stopped their executors (pushed first, closed after).
            FrameworkIdStore frameworkIds = new FrameworkIdStore(curator);
            removeLeftoverContainers(frameworkIds, removed -> say.accept("Removed " + removed.size()
                    + " instance container(s) a previous run left behind: " + String.join(", ", removed)));
            running.push(() -> removeLeftoverContainers(frameworkIds,
                    removed -> LOG.info("removed the instance containers {}", removed)));
        }
        if (master == null) {
            // mesos-local authenticates the framework, its executors and /master/state, as a Mesos
            // master with --authenticate_http_frameworks, --authenticate_http_executors and
            // --authenticate_http_readonly does.
            MesosSecrets secrets = MesosSecrets.loadOrCreate(o.home());
            credential = credential != null ? credential : secrets.framework();
            MesosLocalConfig d = MesosLocalConfig.defaults(o.home().resolve("mesos"));
            MesosLocal mesos = MesosLocal.start(new MesosLocalConfig(d.host(), o.mesos().masterPort(), o.mesos().agentPort(),
                    d.workDir(), d.cpus(), d.memMb(), d.diskMb(), d.portsBegin(), d.portsEnd(), d.hostname()),
                    MesosLocalFlags.defaults().withRecovery(o.mesos().recover()).withAuthentication(
                            Authentication.required(List.of(credential), secrets.executorSecretKey())));
            running.push(mesos);
            master = mesos.masterUri();
            say.accept("Mesos (mesos-local) master on " + master + ", agent on " + mesos.agentUri()
                    + (o.mesos().recover()
                    ? "; instances keep running when Slipway stops, and are taken back when it starts again" : ""));
        }
        mesosCredential = credential;
        Vertx vertx = Vertx.vertx();
        running.push(() -> vertx.close().await(10, TimeUnit.SECONDS));
        int apiPort = o.api().port() == 0 ? freePort() : o.api().port();
        URI advertised = o.api().advertiseUrl() != null ? o.api().advertiseUrl() : URI.create("http://"
                + (o.api().host().equals("0.0.0.0") ? "127.0.0.1" : o.api().host()) + ":" + apiPort);
        Path routerDir = o.home().resolve("router");
        RouterChild router = RouterChild.startOrAdopt(routerDir,
                new RouterChild.Settings(o.router().host(), o.router().port(), o.router().httpsPort(), o.router().domain(), zkConnect,
                        zkCredentialsFile(o, trust.zkCredentialsFile()), advertised,
                        routerDir.resolve(ROUTER_LOG_TOKEN), o.router().metricsPort()), say,
                new RouterLines());
        running.push(router);
        routerPort = router.port();
        routerHttpsPort = router.httpsPort();
        String stackImage = stackImage(o.builds().place(), o.builds().stackDir(), say);
        Containment.warning(stackImage != null).ifPresent(say);
        FrameworkConfig config = new FrameworkConfig(
                new MesosSettings(master, "slipway", null, "*", null, advertised + "/", null, credential),
                o.api().host(), apiPort, advertised, o.home().resolve("framework"), o.builds().executorJar(),
                o.builds().buildpacksDir(), o.router().domain(), routerPort, null, stackImage).withApiAccess(trust.api())
                .withResources(FrameworkConfig.Resources.DEFAULT.withSizes(sizes)).withGit(git)
                .withKeepReleases(keepReleases);
        Framework framework = Framework.start(vertx, config, curator, java.time.Clock.systemUTC()).await(30, TimeUnit.SECONDS);
        running.push(framework);
        api = advertised;
        // The router waits for its credential (it keeps its lines meanwhile): only the framework can mint it.
        PrivateFiles.replace(routerDir.resolve(ROUTER_LOG_TOKEN), framework.routerCredential(ROUTER_ID) + "\n");
        if (framework.firstAdminToken().isPresent()) {
            // Handed over in-process, straight into the CLI's credentials file (0600): never printed.
            Credentials credentials = Credentials.ofThisUser();
            credentials.put(advertised.toString(), framework.firstAdminToken().get());
            say.accept("First start: made the admin user 'admin' and its token, stored for " + advertised + " in "
                    + credentials.file() + " (the CLI sends it; `slipway users:add` adds others)");
        }
        say.accept("API on " + api + "/, router on http://" + o.router().host() + ":" + routerPort + "/ (apps at http://<app>."
                + o.router().domain() + ":" + routerPort + "/" + (routerHttpsPort < 0 ? ")"
                : " and https://<app>." + o.router().domain() + ":" + routerHttpsPort + "/)")
                + (router.metricsPort() < 0 ? "" : "; router metrics on http://127.0.0.1:" + router.metricsPort() + "/metrics"));
    }

    /**
     * Removes the containers of the framework's instances (those of the framework id stored in
     * ZooKeeper), telling {@code removed} their names if there were any. Without a Docker engine, or
     * a stored framework id, there is nothing to do; a failure is logged, not thrown.
     */
    private static void removeLeftoverContainers(FrameworkIdStore frameworkIds, Consumer<List<String>> removed) {
        try {
            Optional<String> frameworkId = frameworkIds.get();
            if (frameworkId.isEmpty()) {
                return;
            }
            Optional<DockerClient> docker = DockerEngine.find();
            if (docker.isEmpty()) {
                return;
            }
            try {
                List<String> names = LeftoverContainers.remove(docker.get(), frameworkId.get());
                if (!names.isEmpty()) {
                    removed.accept(names);
                }
            } finally {
                DockerEngine.close(docker.get());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove the instance containers left behind: {}", e.getMessage());
        }
    }

    /**
     * The router child's output, logged under the logger {@code dev.slipway.router} (tests that
     * watch Slipway's log lines for secrets see them too) at the level of each of its
     * lines ({@code HH:mm:ss.SSS LEVEL logger: message}, the router's logback pattern); a line
     * without one (a stack trace's) at the level of the line before it.
     */
    static final class RouterLines implements Consumer<String> {
        private static final Pattern LEVELLED =
                Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR) +(.*)$");
        private static final Logger ROUTER = LoggerFactory.getLogger("dev.slipway.router");
        private String level = "INFO";

        @Override
        public synchronized void accept(String line) {
            Matcher m = LEVELLED.matcher(line);
            String message = line;
            if (m.matches()) {
                level = m.group(1);
                message = m.group(2);
            }
            switch (level) {
                case "ERROR" -> ROUTER.error(message);
                case "WARN" -> ROUTER.warn(message);
                case "DEBUG", "TRACE" -> ROUTER.debug(message);
                default -> ROUTER.info(message);
            }
        }
    }

    /**
     * The ZooKeeper identities: those of the file named, or of the data directory's own file (made
     * with random passwords on first start, mode 0600).
     */
    private static Path zkCredentialsFile(Options o, Path named) {
        return named != null ? named : o.home().resolve(ZK_CREDENTIALS);
    }

    private static ZkCredentials zkCredentials(Options o, Path file, Consumer<String> say) {
        if (file == null) {
            return ZkCredentials.loadOrCreate(zkCredentialsFile(o, null));
        }
        ZkCredentials credentials = ZkCredentials.load(file);
        if (PrivateFiles.readableByOthers(file)) {
            say.accept("Warning: " + file + " holds ZooKeeper passwords and other users may read it (chmod 600 it)");
        }
        return credentials;
    }

    /** The stack image builds run in, made on first use from {@code stackDir}; null to build on this machine. */
    static String stackImage(BuildPlace builds, Path stackDir, Consumer<String> say) {
        if (builds == BuildPlace.HOST) {
            say.accept("Builds run on this machine, with its runtimes; instances run as plain processes");
            return null;
        }
        Optional<DockerClient> docker = DockerEngine.find();
        if (docker.isEmpty()) {
            String why = "no Docker engine answers (DOCKER_HOST, default unix:///var/run/docker.sock)";
            if (builds == BuildPlace.CONTAINER) {
                throw new IllegalStateException("builds in containers were asked for, but " + why);
            }
            say.accept("Builds run on this machine, with its runtimes, and instances as plain processes: " + why);
            return null;
        }
        DockerEngine.close(docker.get());
        long start = System.nanoTime();
        try {
            String image;
            try (SilenceProgress progress = SilenceProgress.started(say, "Building the stack image")) {
                image = StackImage.ensure(stackDir, line -> progress.accept(line.replaceFirst("^-----> ", "")));
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            say.accept("Builds and instances run in containers of " + image
                    + (seconds >= 5 ? " (made it in " + seconds + " s)" : ""));
            return image;
        } catch (RuntimeException e) {
            if (builds == BuildPlace.CONTAINER) {
                throw e;
            }
            say.accept("Builds run on this machine, with its runtimes, and instances as plain processes: "
                    + e.getMessage());
            return null;
        }
    }

    private static int freePort() throws java.io.IOException {
        // The API's URL is given to agents before it listens, so its port is chosen up front.
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public URI api() {
        return api;
    }

    public int routerPort() {
        return routerPort;
    }

    /** The port of the router's HTTPS listener, -1 without one. */
    public int routerHttpsPort() {
        return routerHttpsPort;
    }

    public URI master() {
        return master;
    }

    public String zkConnect() {
        return zkConnect;
    }

    /** The credential the framework authenticates to Mesos with; null when it sends none. */
    public Credential mesosCredential() {
        return mesosCredential;
    }

    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
    }
}
