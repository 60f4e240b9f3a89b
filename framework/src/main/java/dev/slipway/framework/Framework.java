package dev.slipway.framework;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.framework.api.ApiServer;
import dev.slipway.framework.auth.Bootstrap;
import dev.slipway.framework.auth.Signer;
import dev.slipway.framework.offer.AgentRoom;
import dev.slipway.framework.build.Deployer;
import dev.slipway.framework.deploy.LaunchFactory;
import dev.slipway.framework.events.EventLog;
import dev.slipway.framework.leader.Leadership;
import dev.slipway.framework.logs.AppLogs;
import dev.slipway.framework.mesos.HttpMesosDriver;
import dev.slipway.framework.mesos.MasterLocator;
import dev.slipway.framework.schedule.Scheduler;
import dev.slipway.framework.schedule.State;
import dev.slipway.slug.Builds;
import dev.slipway.slug.BuildSandbox;
import dev.slipway.slug.BuildpackCompiler;
import dev.slipway.slug.ContainerSandbox;
import dev.slipway.docker.DockerEngine;
import dev.slipway.slug.HostSandbox;
import dev.slipway.framework.release.ReleaseHistory;
import dev.slipway.slug.SlugStore;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.FrameworkIdStore;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.LeaderElection;
import dev.slipway.zk.ReleaseStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slipway framework: the Mesos scheduler and the REST API, over state in ZooKeeper. Any number
 * of them may run: one is elected leader and schedules; the others forward API calls to it.
 */
public final class Framework implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Framework.class);
    /** How long start waits for the election to settle (this instance leads, or knows who does). */
    private static final Duration STANDING_TIMEOUT = Duration.ofSeconds(10);

    private final Leadership leadership;
    private final ApiServer api;
    private final String firstAdminToken;
    private final Signer signer;

    private Framework(Leadership leadership, ApiServer api, String firstAdminToken, Signer signer) {
        this.leadership = leadership;
        this.api = api;
        this.firstAdminToken = firstAdminToken;
        this.signer = signer;
    }

    /**
     * Starts the API and joins the election of the leader at {@code /framework/leader}, under this
     * instance's advertised URL; once elected it subscribes to Mesos. The future completes once the
     * API listens and this instance leads or knows who does (or 10 s have passed). Every decision on
     * time (backoff, launch timeouts, reconciliation and orphan sweep intervals, records' dates) reads
     * {@code clock}: the system clock in production, a moved one in tests.
     */
    public static Future<Framework> start(Vertx vertx, FrameworkConfig config, CuratorFramework zk, Clock clock) {
        AppStore apps = new AppStore(zk);
        ReleaseStore releases = new ReleaseStore(zk);
        InstanceStore instances = new InstanceStore(zk);
        FrameworkIdStore frameworkIds = new FrameworkIdStore(zk);
        SlugStore slugs = new SlugStore(config.dataDir());
        Builds builds = new Builds(config.dataDir(), new BuildpackCompiler(slugs, config.dataDir(), config.buildpacksDir(),
                sandbox(config)));
        refuseToForgetRunningInstances(frameworkIds, instances);
        // The first start makes the first admin; its token is handed over in-process, never logged.
        String firstAdminToken = Bootstrap.firstAdmin(apps.accounts(), clock.instant()).orElse(null);
        if (firstAdminToken != null) {
            LOG.info("made the first admin user '{}' and its token (handed to whoever started this framework)",
                    Bootstrap.ADMIN);
        }
        Signer signer = new Signer(apps.accounts().signingKey());
        AppLogs logs = new AppLogs(clock);
        // The events of this process's terms of leadership; each term numbers its own.
        EventLog events = new EventLog(clock);
        // A scheduler, and a Mesos driver, for each term of leadership; the agents seen outlive them.
        AgentRoom agents = new AgentRoom();
        URI self = config.advertiseUrl() != null ? config.advertiseUrl()
                : URI.create("http://" + config.apiHost() + ":" + config.apiPort());
        LeaderElection election = new LeaderElection(zk, self);
        // The scheduler's writes check this process's election node: a deposed leader's fail.
        Supplier<Scheduler> schedulers = () -> new Scheduler(new State(apps, releases, instances, election::ourNode),
                new HttpMesosDriver(config.mesos(), MasterLocator.of(config.mesos().master()), frameworkIds::get),
                frameworkIds, new LaunchFactory(config, signer), new Scheduler.Observers(logs, agents, events), clock);
        AtomicReference<ApiServer> started = new AtomicReference<>();
        // A deposed leader's event streams end, so that their clients reconnect to the new leader.
        Leadership leadership = new Leadership(election, schedulers, () -> {
            events.newTerm();
            started.get().failInterruptedBuilds();
        }, () -> events.endStreams("this framework instance no longer leads: reconnect with the last event id"));
        Deployer deployer = new Deployer(apps, releases, builds,
                new ReleaseHistory(apps, releases, instances, slugs, config.keepReleases()), leadership::poke, clock);
        ApiServer.Parts parts = new ApiServer.Parts(apps, releases, instances, slugs, deployer, config.executorJar(),
                config.dataDir().resolve("uploads"), config.domain(), config.routerPort(), leadership::poke,
                leadership::isSubscribed, leadership::vetoes, clock).withLogs(logs)
                .withResources(config.resources()).withAgents(agents).withGit(config.git()).withEvents(events)
                .withOneOffs(leadership);
        return ApiServer.start(vertx, config.apiHost(), config.apiPort(), config.advertiseUrl(), config.apiAccess(),
                parts, leadership).compose(api -> {
            LOG.info("API listening on http://{}:{}/", config.apiHost(), api.port());
            started.set(api);
            return vertx.executeBlocking(() -> {
                leadership.start();
                leadership.awaitStanding(STANDING_TIMEOUT);
                return new Framework(leadership, api, firstAdminToken, signer);
            }, false).onFailure(failure -> api.close());
        });
    }

    /** Containers of the stack image when one is configured (the engine must answer), else this machine. */
    private static BuildSandbox sandbox(FrameworkConfig config) {
        if (config.stackImage() == null) {
            return new HostSandbox();
        }
        DockerClient docker = DockerEngine.find().orElseThrow(() -> new IllegalStateException(
                "builds are to run in containers of " + config.stackImage() + " but no Docker engine answers "
                        + "(DOCKER_HOST, default unix:///var/run/docker.sock)"));
        return new ContainerSandbox(docker, config.stackImage(), ContainerSandbox.Limits.defaults());
    }

    /**
     * Subscribing without the stored FrameworkID registers a new framework, and Mesos would keep
     * running the old one's instances where Slipway can no longer see them. Refuse, and say why.
     */
    private static void refuseToForgetRunningInstances(FrameworkIdStore frameworkIds, InstanceStore instances) {
        if (frameworkIds.get().isEmpty()) {
            long live = instances.list().stream().filter(i -> !i.state().gone()).count();
            if (live > 0) {
                throw new IllegalStateException("ZooKeeper lists " + live + " running instance(s) but no framework id at "
                        + "/slipway/framework/id: subscribing now would register a second framework and orphan them. "
                        + "Restore the id, or remove the stale instances under /slipway/tasks.");
            }
        }
    }

    /**
     * The plaintext of the first admin's token when this start made it (ZooKeeper held no admin),
     * for the one who started the framework to store (`slipway up` writes it to the CLI's
     * credentials file); empty otherwise. Never log it.
     */
    public Optional<String> firstAdminToken() {
        return Optional.ofNullable(firstAdminToken);
    }

    /**
     * The credential with which router {@code routerId} posts its lines into the apps' logs
     * ({@code POST /router-log-lines}), valid until the signing key changes: {@code slipway up}
     * hands it to its router in a 0600 file. Never log it.
     */
    public String routerCredential(String routerId) {
        return signer.routerCredential(routerId);
    }

    public int apiPort() {
        return api.port();
    }

    /** Whether this instance leads (and schedules) now. */
    public boolean leads() {
        return leadership.leads();
    }

    @Override
    public void close() {
        leadership.close();
        api.close();
    }
}
