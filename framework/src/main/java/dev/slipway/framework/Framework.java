package dev.slipway.framework;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.framework.api.ApiServer;
import dev.slipway.framework.offer.AgentRoom;
import dev.slipway.framework.build.Deployer;
import dev.slipway.framework.deploy.LaunchFactory;
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
import dev.slipway.slug.SlugStore;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.FrameworkIdStore;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.ReleaseStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Slipway framework: the Mesos scheduler and the REST API, over state in ZooKeeper. */
public final class Framework implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Framework.class);

    private final Scheduler scheduler;
    private final ApiServer api;

    private Framework(Scheduler scheduler, ApiServer api) {
        this.scheduler = scheduler;
        this.api = api;
    }

    /**
     * Starts the API and subscribes to Mesos; the future completes once the API listens. Every
     * decision on time (backoff, launch timeouts, reconciliation and orphan sweep intervals,
     * records' dates) reads {@code clock}: the system clock in production, a moved one in tests.
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
        HttpMesosDriver driver = new HttpMesosDriver(config.mesos(), MasterLocator.of(config.mesos().master()),
                frameworkIds::get);
        AppLogs logs = new AppLogs(clock);
        AgentRoom agents = new AgentRoom();
        Scheduler scheduler = new Scheduler(new State(apps, releases, instances), driver, frameworkIds,
                new LaunchFactory(config), logs, agents, clock);
        Deployer deployer = new Deployer(apps, releases, builds, scheduler::poke, clock);
        ApiServer.Parts parts = new ApiServer.Parts(apps, releases, instances, slugs, deployer, config.executorJar(),
                config.dataDir().resolve("uploads"), config.domain(), config.routerPort(), scheduler::poke,
                scheduler::isSubscribed, scheduler::vetoes, clock).withLogs(logs)
                .withResources(config.resources()).withAgents(agents);
        return ApiServer.start(vertx, config.apiHost(), config.apiPort(), config.advertiseUrl(), config.apiAccess(),
                parts).map(api -> {
            LOG.info("API listening on http://{}:{}/", config.apiHost(), api.port());
            scheduler.start();
            return new Framework(scheduler, api);
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

    public int apiPort() {
        return api.port();
    }

    @Override
    public void close() {
        scheduler.close();
        api.close();
    }
}
