package dev.slipway.framework.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.TestConfigs;
import dev.slipway.framework.deploy.LaunchFactory;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.framework.placement.Attribute;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.FrameworkIdStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.Versioned;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler places a process type under its stored constraints, on offers from several agents. */
class PlacementSchedulerTest {
    @TempDir
    Path dir;
    EmbeddedZooKeeper server;
    CuratorFramework zk;
    RecordingDriver mesos;
    Scheduler scheduler;
    AppStore apps;
    ReleaseStore releases;
    InstanceStore instances;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        zk = ZkClient.connect(server.connectString(), "/placement-test-" + UUID.randomUUID(), credentials.slipway(),
                credentials.acls(), 30);
        apps = new AppStore(zk);
        releases = new ReleaseStore(zk);
        instances = new InstanceStore(zk);
        mesos = new RecordingDriver();
        FrameworkConfig config = TestConfigs.onLoopback(dir);
        scheduler = new Scheduler(new State(apps, releases, instances), mesos, new FrameworkIdStore(zk),
                new LaunchFactory(config, dev.slipway.framework.TestConfigs.signer()),
                new SchedulerTest.MutableClock(Instant.parse("2026-11-27T12:00:00Z")));
    }

    @AfterEach
    void stop() {
        zk.close();
        server.close();
    }

    @Test
    void webInstancesSpreadAcrossAgentsByDefault() {
        givenDeployed("spread", 3, List.of());
        scheduler.onSubscribed("fw-1");

        scheduler.onOffers(List.of(agent("o1", 1, "z1"), agent("o2", 2, "z2"), agent("o3", 3, "z1")));

        assertThat(instances.list("spread")).extracting(Instance::host).containsExactlyInAnyOrder(
                "sim-agent-0001", "sim-agent-0002", "sim-agent-0003");
    }

    @Test
    void uniqueHostnameLeavesTheFourthInstancePendingAndSaysWhy() {
        givenDeployed("uniq", 4, List.of("hostname:UNIQUE"));
        scheduler.onSubscribed("fw-1");

        scheduler.onOffers(List.of(agent("o1", 1, "z1"), agent("o2", 2, "z2"), agent("o3", 3, "z1")));

        assertThat(instances.list("uniq")).hasSize(3);
        assertThat(scheduler.vetoes()).containsEntry("uniq web.4",
                List.of("UNIQUE hostname: all 3 agents already run web"));

        // The next round's offers come from the same agents, where web already runs: still pending.
        scheduler.onOffers(List.of(agent("o4", 1, "z1"), agent("o5", 2, "z2")));
        assertThat(instances.list("uniq")).hasSize(3);
        assertThat(scheduler.vetoes()).containsEntry("uniq web.4",
                List.of("UNIQUE hostname: all 2 agents already run web"));
    }

    @Test
    void clusterKeepsEveryInstanceInItsZoneEvenOnOneAgentAndSpreadsWithinIt() {
        givenDeployed("zoned", 2, List.of("zone:CLUSTER:z2"));
        scheduler.onSubscribed("fw-1");

        scheduler.onOffers(List.of(agent("o1", 1, "z1"), agent("o2", 2, "z2")));
        assertThat(instances.list("zoned")).extracting(Instance::host)
                .containsExactly("sim-agent-0002", "sim-agent-0002");

        givenDeployed("zoned2", 2, List.of("zone:CLUSTER:z2"));
        scheduler.onOffers(List.of(agent("o3", 3, "z1"), agent("o4", 2, "z2"), agent("o5", 4, "z2")));
        assertThat(instances.list("zoned2")).extracting(Instance::host)
                .containsExactlyInAnyOrder("sim-agent-0002", "sim-agent-0004");
    }

    @Test
    void aRollingDeployUniqueLeavesNoRoomForReplacesOneSlotAtATimeOldInstanceFirst() {
        Versioned<App> app = apps.create(App.named("roll").formation(Map.of("worker", 3)).createdAt(Instant.EPOCH)
                .constraints(Map.of("worker", List.of("hostname:UNIQUE"))).build());
        releases.publish(app, new Release(1, "c".repeat(64), 10, Map.of("worker", "./w"), "", Instant.EPOCH));
        scheduler.onSubscribed("fw-1");
        scheduler.onOffers(threeAgents());
        instances.list("roll").forEach(i -> running(i.taskId()));
        releases.publish(apps.require("roll"), new Release(2, "d".repeat(64), 10, Map.of("worker", "./w"), "",
                Instant.EPOCH));
        scheduler.onAppsChanged(List.of("roll"));

        scheduler.onOffers(threeAgents());

        assertThat(stopping("roll")).singleElement().satisfies(i -> {
            assertThat(i.index()).isEqualTo(1);
            assertThat(i.release()).isEqualTo(1);
        });
        assertThat(scheduler.vetoes().get("roll worker.1")).singleElement().asString()
                .isEqualTo("UNIQUE hostname: all 3 agents already run worker; replacing v1 in place, old instance first");

        // While worker.1 is stopping, no other slot is touched.
        scheduler.onOffers(threeAgents());
        assertThat(stopping("roll")).hasSize(1);

        Instance old = stopping("roll").get(0);
        scheduler.onUpdate(new TaskUpdate(old.taskId(), old.agentId(), InstanceState.KILLED, null, "", "", "", null));
        scheduler.onOffers(threeAgents());

        Instance successor = instances.list("roll").stream().filter(i -> i.release() == 2).findFirst().orElseThrow();
        assertThat(successor.index()).isEqualTo(1);
        assertThat(successor.host()).isEqualTo(old.host());
        // Not ready yet: worker.2 keeps running.
        assertThat(stopping("roll")).isEmpty();

        running(successor.taskId());
        scheduler.onOffers(threeAgents());
        assertThat(stopping("roll")).singleElement().extracting(Instance::index).isEqualTo(2);
    }

    @Test
    void noOldInstanceIsStoppedWhenTheConstraintWouldRefuseItsAgentAnyway() {
        Versioned<App> app = apps.create(App.named("stuck").formation(Map.of("worker", 1)).createdAt(Instant.EPOCH)
                .build());
        releases.publish(app, new Release(1, "c".repeat(64), 10, Map.of("worker", "./w"), "", Instant.EPOCH));
        scheduler.onSubscribed("fw-1");
        scheduler.onOffers(List.of(agent("o1", 1, "z1")));
        instances.list("stuck").forEach(i -> running(i.taskId()));
        Versioned<App> constrained = apps.require("stuck");
        apps.update(constrained.value().withConstraints("worker", List.of("zone:CLUSTER:z9")), constrained.version());
        releases.publish(apps.require("stuck"), new Release(2, "d".repeat(64), 10, Map.of("worker", "./w"), "",
                Instant.EPOCH));
        scheduler.onAppsChanged(List.of("stuck"));

        scheduler.onOffers(List.of(agent("o2", 1, "z1")));

        assertThat(stopping("stuck")).isEmpty();
        assertThat(scheduler.vetoes().get("stuck worker.1")).containsExactly("CLUSTER zone:z9: sim-agent-0001 has zone z1");
    }

    private List<Offer> threeAgents() {
        return List.of(agent("o" + UUID.randomUUID(), 1, "z1"), agent("o" + UUID.randomUUID(), 2, "z2"),
                agent("o" + UUID.randomUUID(), 3, "z3"));
    }

    private void running(String taskId) {
        Instance instance = instances.get(taskId).orElseThrow();
        scheduler.onUpdate(new TaskUpdate(taskId, instance.agentId(), InstanceState.RUNNING, null, "", "", "", null));
    }

    private List<Instance> stopping(String app) {
        return instances.list(app).stream().filter(i -> i.state() == InstanceState.KILLING).toList();
    }

    private void givenDeployed(String name, int web, List<String> constraints) {
        Versioned<App> app = apps.create(App.named(name).formation(Map.of("web", web)).createdAt(Instant.EPOCH)
                .constraints(Map.of("web", constraints)).build());
        releases.publish(app, new Release(1, "c".repeat(64), 10, Map.of("web", "./web"), "", Instant.EPOCH));
        scheduler.onAppsChanged(List.of(name));
    }

    /** An agent laid out as mesos-local's SimulatedAgents: hostname sim-agent-000n, rack and zone. */
    private static Offer agent(String offerId, int n, String zone) {
        return new Offer(offerId, "agent-" + n, String.format("sim-agent-%04d", n), new Resources(8, 32768,
                List.of(new Resources.PortRange(31000, 32000))),
                Map.of("rack", new Attribute.Text("r" + n), "zone", new Attribute.Text(zone)));
    }
}
