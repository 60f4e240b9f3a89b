package dev.slipway.framework.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.TestConfigs;
import dev.slipway.framework.deploy.LaunchFactory;
import dev.slipway.framework.logs.LogSink;
import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.zk.App;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.DeploymentState;
import dev.slipway.zk.DeploymentStore;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.FrameworkIdStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.Route;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.RouterAcks;
import dev.slipway.zk.Versioned;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The scheduler core against real ZooKeeper stores, with the Mesos calls recorded. */
class SchedulerTest {
    @TempDir
    Path dir;
    EmbeddedZooKeeper server;
    CuratorFramework zk;
    RecordingDriver mesos;
    Scheduler scheduler;
    MutableClock clock;
    AppStore apps;
    ReleaseStore releases;
    InstanceStore instances;
    RouteStore routes;
    FaultyLogs logs = new FaultyLogs();
    ListAppender<ILoggingEvent> guardLog = new ListAppender<>();
    LaunchFactory launchFactory;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        zk = ZkClient.connect(server.connectString(), "/scheduler-test-" + UUID.randomUUID(), credentials.slipway(),
                credentials.acls(), 30);
        apps = new AppStore(zk);
        releases = new ReleaseStore(zk);
        instances = new InstanceStore(zk);
        routes = new RouteStore(zk);
        clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        mesos = new RecordingDriver();
        FrameworkConfig config = TestConfigs.onLoopback(dir);
        launchFactory = new LaunchFactory(config, dev.slipway.framework.TestConfigs.signer());
        scheduler = newScheduler();
        guardLog.start();
        ((Logger) LoggerFactory.getLogger(Guard.class)).addAppender(guardLog);
    }

    /** A scheduler on this test's ZooKeeper, as a framework (re)started on it would make. */
    private Scheduler newScheduler() {
        return new Scheduler(new State(apps, releases, instances), mesos, new FrameworkIdStore(zk), launchFactory,
                logs, new dev.slipway.framework.offer.AgentRoom(), clock);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(Guard.class)).detachAppender(guardLog);
        scheduler.close();
        zk.close();
        server.close();
    }

    @Test
    void anOfferThatFitsLaunchesTheWantedInstanceAndItIsStoredBeforeTheAccept() {
        givenDeployed("hello", Map.of());
        scheduler.onSubscribed("fw-1");

        scheduler.onOffers(List.of(offer("o1", 2, 4096)));

        assertThat(mesos.accepted).singleElement().satisfies(a -> {
            assertThat(a.offerId()).isEqualTo("o1");
            assertThat(a.launches()).singleElement().satisfies(l -> assertThat(l.name()).isEqualTo("hello web.1 v1"));
        });
        assertThat(instances.list("hello")).singleElement().extracting(Instance::state).isEqualTo(InstanceState.LAUNCHING);
    }

    @Test
    void aStartedSchedulerSeesAnAppWrittenByOthersThroughItsWatchWithoutReadingEveryApp() {
        scheduler.start();
        scheduler.subscribed("fw-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> !mesos.reconciled.isEmpty());

        // Written as the API writes it, without telling the scheduler.
        Versioned<App> app = apps.create(App.named("watched").createdAt(clock.instant()).build());
        releases.publish(app, new Release(1, "c".repeat(64), 10, Map.of("web", "./web"), "", clock.instant()));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            scheduler.offers(List.of(offer("o-" + UUID.randomUUID(), 2, 4096)));
            assertThat(mesos.accepted).isNotEmpty();
        });
        assertThat(mesos.accepted.get(0).launches()).extracting(Launch::name).containsExactly("watched web.1 v1");
    }

    @Test
    void anInstanceChangedBehindTheSchedulersBackFailsItsVersionedWriteAndTheModelIsReadAnew() {
        String task = launchedWeb("hello");
        Versioned<Instance> stored = instances.listVersioned().get(0);
        // Another writer (a deposed leader, say) changes the instance.
        new dev.slipway.zk.StateWrite(zk).putInstance(stored.value().with(InstanceState.RUNNING, false, "elsewhere",
                clock.instant()), stored.version()).commit();

        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        assertThat(mesos.acknowledged).as("not stored, so not acknowledged").isEmpty();
        assertThat(guardLog.list).singleElement().satisfies(logged ->
                assertThat(logged.getFormattedMessage()).contains("changed under the scheduler"));

        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        assertThat(mesos.acknowledged).containsExactly(task);
        assertThat(instances.get(task)).get().extracting(Instance::healthy).isEqualTo(true);
    }

    @Test
    void anOfferTooSmallIsDeclinedAndWhyIsKept() {
        givenDeployed("hello", Map.of());

        scheduler.onOffers(List.of(offer("small", 2, 128)));

        assertThat(mesos.accepted).isEmpty();
        assertThat(mesos.declined).containsExactly("small");
        assertThat(scheduler.vetoes().get("hello web.1")).singleElement().asString().contains("MB free");
    }

    @Test
    void anOfferRoundWhoseHandlingThrowsIsDeclinedAndLoggedAndTheSchedulerThreadPlacesOnTheNextRound() {
        givenDeployed("hello", Map.of("web", 2));
        scheduler.onSubscribed("fw-1");
        logs.failNextEvent();

        // Through the listener, as the driver delivers them: the scheduler thread handles both rounds.
        scheduler.offers(List.of(offer("o1", 2, 4096), offer("o2", 2, 4096)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(mesos.declined).containsExactlyInAnyOrder("o1", "o2"));
        assertThat(mesos.accepted).isEmpty();
        assertThat(guardLog.list).singleElement().satisfies(logged -> {
            assertThat(logged.getLevel()).isEqualTo(Level.ERROR);
            assertThat(logged.getFormattedMessage()).contains("offers [o1, o2]").contains("declined [o1, o2]")
                    .contains("gave up the launches never sent");
            assertThat(logged.getThrowableProxy().getMessage()).isEqualTo("a bug in the log sink");
        });

        // Both were stored as launching before the failure; never sent, they were given up at once.
        assertThat(instances.list("hello")).extracting(Instance::state).containsOnly(InstanceState.LOST);

        scheduler.offers(List.of(offer("o3", 2, 4096)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(mesos.accepted).singleElement()
                .satisfies(a -> {
                    assertThat(a.offerId()).isEqualTo("o3");
                    assertThat(a.launches()).extracting(Launch::name)
                            .containsExactlyInAnyOrder("hello web.1 v1", "hello web.2 v1");
                }));
    }

    @Test
    void anUpdateWhoseHandlingThrowsIsLeftUnacknowledgedAndItsResendIsHandled() {
        String task = launchedWeb("hello");
        logs.failNextEvent();

        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        assertThat(mesos.acknowledged).isEmpty();
        assertThat(guardLog.list).singleElement().satisfies(logged -> {
            assertThat(logged.getLevel()).isEqualTo(Level.ERROR);
            assertThat(logged.getFormattedMessage()).contains("update RUNNING of task " + task)
                    .contains("left unacknowledged");
        });

        // Mesos resends what was not acknowledged.
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        assertThat(mesos.acknowledged).containsExactly(task);
        assertThat(instances.get(task)).get().extracting(Instance::healthy).isEqualTo(true);
    }

    @Test
    void aFailedPlanningRoundIsLoggedAndTheNextOneRuns() {
        String task = launchedWeb("hello");
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        scale("hello", 0);
        logs.failNextEvent();

        scheduler.tick("planning round (test)");
        assertThat(guardLog.list).singleElement().extracting(ILoggingEvent::getLevel).isEqualTo(Level.ERROR);

        scheduler.tick("planning round (test)");
        clock.advance(java.time.Duration.ofSeconds(1));
        scheduler.tick("planning round (test)");
        assertThat(mesos.killed).containsExactly(task);
    }

    @Test
    void implicitReconciliationRepeatsOnceTheIntervalHasPassedOnTheSchedulersClock() {
        launchedWeb("hello");
        mesos.reconciled.clear();

        scheduler.runOnce();
        clock.advance(Reconciliation.IMPLICIT_INTERVAL.minusSeconds(1));
        scheduler.runOnce();
        assertThat(mesos.reconciled).as("not within the interval").isEmpty();

        clock.advance(Duration.ofSeconds(2));
        scheduler.runOnce();
        assertThat(mesos.reconciled).containsExactly(List.of());
        scheduler.runOnce();
        assertThat(mesos.reconciled).hasSize(1);
    }

    @Test
    void aHealthyUpdateIsStoredRoutedAndThenAcknowledged() {
        String task = launchedWeb("hello");

        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));

        assertThat(instances.get(task)).get().extracting(Instance::healthy).isEqualTo(true);
        assertThat(routes.get("hello")).get().extracting(Route::endpoints).asList().hasSize(1);
        assertThat(mesos.acknowledged).containsExactly(task);
    }

    @Test
    void anUpdateThatCannotBeStoredIsNotAcknowledgedSoMesosResendsIt() throws Exception {
        String task = launchedWeb("hello");
        // A write ZooKeeper refuses (here: a read-only ACL on the instance's node).
        zk.setACL().withACL(org.apache.zookeeper.ZooDefs.Ids.READ_ACL_UNSAFE).forPath(dev.slipway.zk.ZkPaths.task(task));

        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));

        assertThat(mesos.acknowledged).isEmpty();
    }

    @Test
    void aFrameworkRemovedByTheMasterMarksItsInstancesLostForgetsItsIdAndLaunchesThemAgain() {
        String task = launchedWeb("hello");
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        FrameworkIdStore ids = new FrameworkIdStore(zk);
        assertThat(ids.get()).hasValue("fw-1");

        scheduler.onRemoved("fw-1", "Framework has been removed");

        assertThat(instances.get(task)).get().satisfies(i -> {
            assertThat(i.state()).isEqualTo(InstanceState.LOST);
            assertThat(i.message()).contains("Mesos removed framework fw-1");
        });
        assertThat(routes.get("hello")).get().extracting(Route::endpoints).asList().isEmpty();
        assertThat(ids.get()).isEmpty();

        scheduler.onSubscribed("fw-2");
        scheduler.onOffers(List.of(offer("o2", 2, 4096)));

        assertThat(ids.get()).hasValue("fw-2");
        assertThat(mesos.accepted).last().satisfies(a -> assertThat(a.launches()).singleElement()
                .satisfies(l -> assertThat(l.name()).isEqualTo("hello web.1 v1")));
    }

    @Test
    void aTaskSlipwayDoesNotKnowIsKilled() {
        scheduler.onUpdate(update("stranger.web.1.v1.x", InstanceState.RUNNING, null));
        assertThat(mesos.killed).containsExactly("stranger.web.1.v1.x");
        assertThat(mesos.acknowledged).containsExactly("stranger.web.1.v1.x");
    }

    @Test
    void offersAreSuppressedWhenNothingWaitsAndRevivedWhenSomethingDoes() {
        String task = launchedWeb("hello");
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));

        scheduler.runOnce();
        assertThat(mesos.offerCalls).containsExactly("SUPPRESS");

        scale("hello", 2);
        scheduler.runOnce();
        assertThat(mesos.offerCalls).containsExactly("SUPPRESS", "REVIVE");
        scheduler.runOnce();
        assertThat(mesos.offerCalls).as("no revive storm while waiting").containsExactly("SUPPRESS", "REVIVE");
    }

    @Test
    void subscribingReconcilesTheKnownInstancesThenAllImplicitlyOnceEachIsAnswered() {
        String task = launchedWeb("hello");
        mesos.reconciled.clear();

        scheduler.onSubscribed("fw-1");
        assertThat(mesos.reconciled).singleElement().satisfies(asked ->
                assertThat(asked).extracting(t -> t.taskId()).containsExactly(task));
        scheduler.runOnce();
        assertThat(mesos.reconciled).as("not before the answer").hasSize(1);

        scheduler.onUpdate(update(task, InstanceState.RUNNING, null));
        scheduler.runOnce();
        assertThat(mesos.reconciled).hasSize(2);
        assertThat(mesos.reconciled.get(1)).as("implicit").isEmpty();
    }

    @Test
    void tasksMesosDoesNotAnswerForAreAskedAboutAgainWithAGrowingWait() {
        String task = launchedWeb("hello");
        mesos.reconciled.clear();
        scheduler.onSubscribed("fw-1");

        clock.advance(Reconciliation.FIRST_RETRY);
        scheduler.runOnce();
        assertThat(mesos.reconciled).hasSize(2);
        clock.advance(Reconciliation.FIRST_RETRY);
        scheduler.runOnce();
        assertThat(mesos.reconciled).as("the second wait is twice the first").hasSize(2);
        clock.advance(Reconciliation.FIRST_RETRY);
        scheduler.runOnce();
        assertThat(mesos.reconciled).hasSize(3);
        assertThat(mesos.reconciled).allSatisfy(asked ->
                assertThat(asked).extracting(t -> t.taskId()).containsExactly(task));
    }

    @Test
    void aStoppedInstanceLeavesTheRoutesBeforeItIsKilled() {
        String task = launchedWeb("hello");
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        scale("hello", 0);

        scheduler.runOnce();
        assertThat(routes.get("hello")).get().extracting(Route::endpoints).asList().isEmpty();
        assertThat(mesos.killed).isEmpty();

        clock.advance(java.time.Duration.ofSeconds(1));
        scheduler.runOnce();
        assertThat(mesos.killed).containsExactly(task);
    }

    @Test
    void aStoppedInstanceIsKilledOnceTheRegisteredRouterAcknowledgesTheRouteWithoutIt() throws Exception {
        zk.create().forPath(dev.slipway.zk.ZkPaths.ROUTERS);
        RouterAcks.Acknowledger router = routes.acks().register("router-a");
        router.served(0);
        String task = launchedWeb("hello");
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        scale("hello", 0);

        scheduler.runOnce();
        clock.advance(Duration.ofSeconds(1));
        scheduler.runOnce();
        assertThat(mesos.killed).as("the router still serves the route with it").isEmpty();

        router.served(routes.get("hello").orElseThrow().version());
        scheduler.onRoutersAcked(routes.acks().list());
        assertThat(mesos.killed).containsExactly(task);
        router.close();
    }

    @Test
    void aKillCarriesTheFrameworksGraceForAnAppThatSetsNone() {
        String task = launchedWeb("hello");
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        scale("hello", 0);

        scheduler.runOnce();
        clock.advance(java.time.Duration.ofSeconds(1));
        scheduler.runOnce();

        assertThat(mesos.kills).containsExactly(new RecordingDriver.Killed(task, Duration.ofSeconds(10)));
    }

    @Test
    void aKillCarriesTheAppsCurrentGraceEvenForAnInstanceLaunchedBeforeItWasSet() {
        String task = launchedWeb("hello");
        assertThat(mesos.accepted.get(0).launches().get(0).killGrace()).isEqualTo(Duration.ofSeconds(10));
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        Versioned<App> app = apps.require("hello");
        apps.update(app.value().withKillGraceSeconds(45).scaled("web", 0), app.version());
        scheduler.onAppsChanged(List.of(app.value().name()));

        scheduler.runOnce();
        clock.advance(java.time.Duration.ofSeconds(1));
        scheduler.runOnce();

        assertThat(mesos.kills).containsExactly(new RecordingDriver.Killed(task, Duration.ofSeconds(45)));
    }

    @Test
    void anInstanceLaunchesWithItsAppsKillGrace() {
        Versioned<App> app = apps.create(App.named("slow").createdAt(clock.instant()).killGraceSeconds(120).build());
        releases.publish(app, new Release(1, "c".repeat(64), 10, Map.of("web", "./web"), "", clock.instant()));
        scheduler.onAppsChanged(List.of(app.value().name()));
        scheduler.onSubscribed("fw-1");

        scheduler.onOffers(List.of(offer("o1", 2, 4096)));

        assertThat(mesos.accepted).singleElement().satisfies(a -> assertThat(a.launches()).singleElement()
                .satisfies(l -> assertThat(l.killGrace()).isEqualTo(Duration.ofSeconds(120))));
    }

    @Test
    void aTaskSlipwayDoesNotKnowKeepsTheGraceItWasLaunchedWith() {
        scheduler.onUpdate(update("stranger.web.1.v1.x", InstanceState.RUNNING, null));
        assertThat(mesos.kills).containsExactly(new RecordingDriver.Killed("stranger.web.1.v1.x", null));
    }

    @Test
    void aLaunchCarriesTheTimeItWasMadeByTheFrameworksClock() throws Exception {
        String task = launchedWeb("hello");

        Launch launch = mesos.accepted.get(0).launches().get(0);
        assertThat(launch.taskId()).isEqualTo(task);
        assertThat(Json.mapper().readTree(launch.data()).get("launched_at_ms").asLong())
                .isEqualTo(clock.instant().toEpochMilli());
    }

    @Test
    void oneRunningExecutorPerAgentIsToldWhichTasksAreLiveEverySweepInterval() throws Exception {
        String running = launchedWeb("hello");
        scheduler.onUpdate(update(running, InstanceState.RUNNING, true));
        scale("hello", 2);
        scheduler.onOffers(List.of(offer("o2", 2, 4096)));
        String launching = mesos.accepted.get(1).launches().get(0).taskId();
        String ended = launchedWeb("gone");
        scheduler.onUpdate(update(ended, InstanceState.FAILED, null));
        // The planning round right after the healthy update swept already, with the tasks live then.
        clock.advance(OrphanSweep.INTERVAL);
        mesos.messages.clear();

        scheduler.runOnce();

        assertThat(mesos.messages).singleElement().satisfies(message -> {
            assertThat(message.agentId()).isEqualTo("agent-1");
            assertThat(message.executorId()).isEqualTo(running);
            JsonNode body = Json.mapper().readTree(message.data());
            assertThat(body.get("type").asText()).isEqualTo("remove-orphans");
            assertThat(body.get("live_task_ids")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder(running, launching);
            assertThat(body.get("as_of_ms").asLong()).isEqualTo(clock.instant().toEpochMilli());
        });
        scheduler.runOnce();
        assertThat(mesos.messages).as("not again within the interval").hasSize(1);
        clock.advance(OrphanSweep.INTERVAL.plusSeconds(1));
        scheduler.runOnce();
        assertThat(mesos.messages).hasSize(2);
    }

    @Test
    void aReplacementIsToldWhichTasksEndedSoThatTheirLeftoverContainersGoFirst() throws Exception {
        String crashed = launchedWeb("hello");
        scheduler.onUpdate(update(crashed, InstanceState.FAILED, null));
        clock.advance(Duration.ofSeconds(2));

        scheduler.onOffers(List.of(offer("o2", 2, 4096)));

        Launch replacement = mesos.accepted.get(1).launches().get(0);
        assertThat(Json.mapper().readTree(replacement.data()).get("ended_task_ids"))
                .extracting(JsonNode::asText).containsExactly(crashed);
    }

    @Test
    void noExecutorIsToldAnythingWhileNoneRuns() {
        launchedWeb("hello");

        scheduler.runOnce();

        assertThat(mesos.messages).isEmpty();
    }

    @Test
    void aCrashedInstanceIsReplacedAfterABackoff() {
        String task = launchedWeb("hello");
        scheduler.onUpdate(update(task, InstanceState.FAILED, null));
        mesos.accepted.clear();

        scheduler.onOffers(List.of(offer("o2", 2, 4096)));
        assertThat(mesos.accepted).as("backing off").isEmpty();

        clock.advance(Duration.ofSeconds(2));
        scheduler.onOffers(List.of(offer("o3", 2, 4096)));
        assertThat(mesos.accepted).hasSize(1);
    }

    @Test
    void anInstanceThatDiesRightAfterBecomingHealthyBacksOffLongerEachTime() {
        String task = launchedWeb("hello");
        List<Long> waits = new java.util.ArrayList<>();
        for (int crash = 0; crash < 5; crash++) {
            // Up and routed (the boot check passed), then dead two seconds later: a crash loop.
            scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
            clock.advance(Duration.ofSeconds(2));
            scheduler.onUpdate(update(task, InstanceState.FAILED, null));
            mesos.accepted.clear();
            long waited = 0;
            while (mesos.accepted.isEmpty()) {
                scheduler.onOffers(List.of(offer("o-" + crash + "-" + waited, 2, 4096)));
                if (mesos.accepted.isEmpty()) {
                    clock.advance(Duration.ofMillis(50));
                    waited += 50;
                }
            }
            waits.add(waited);
            task = mesos.accepted.get(0).launches().get(0).taskId();
        }

        // 1 s × 1.15^n, to the next 50 ms the test steps by: 1000, 1150, 1322.5, 1520.9, 1749.0 ms.
        assertThat(waits).containsExactly(1000L, 1150L, 1350L, 1550L, 1750L);
    }

    @Test
    void aCrashIsStoredWithItsExitReasonAndTheTimeOfTheNextTry() {
        String task = launchedWeb("hello");

        scheduler.onUpdate(failed(task, "exited with code 127"));

        assertThat(apps.crashes().list("hello")).singleElement().satisfies(b -> {
            assertThat(b.slot()).isEqualTo("web.1");
            assertThat(b.crashes()).isEqualTo(1);
            assertThat(b.lastExit()).isEqualTo("exited with code 127");
            assertThat(b.notBefore()).isEqualTo(clock.instant().plusSeconds(1));
        });
    }

    @Test
    void aRestartStoredInZooKeeperGoesOnWhereItStoodAfterTheSchedulerIsMadeAnew() {
        givenDeployed("hello", Map.of("web", 2));
        scheduler.onSubscribed("fw-1");
        scheduler.onOffers(List.of(offer("o1", 2, 4096)));
        List<String> old = mesos.accepted.get(0).launches().stream().map(l -> l.taskId()).toList();
        old.forEach(task -> scheduler.onUpdate(update(task, InstanceState.RUNNING, true)));
        Versioned<App> app = apps.require("hello");
        apps.update(app.value().restarted("web"), app.version());
        scheduler.onAppsChanged(List.of("hello"));
        mesos.accepted.clear();
        scheduler.onOffers(List.of(offer("o2", 2, 4096)));
        assertThat(mesos.accepted).singleElement().satisfies(a -> assertThat(a.launches()).hasSize(1));
        String first = mesos.accepted.get(0).launches().get(0).taskId();

        // The framework fails over: a new scheduler on the same ZooKeeper, with nothing in memory.
        scheduler.close();
        scheduler = newScheduler();
        scheduler.onSubscribed("fw-1");
        mesos.accepted.clear();
        scheduler.onOffers(List.of(offer("o3", 2, 4096)));
        assertThat(mesos.accepted).as("web.1 is mid-restart: web.2 waits its turn").isEmpty();

        scheduler.onUpdate(update(first, InstanceState.RUNNING, true));
        scheduler.tick("test");
        clock.advance(Duration.ofSeconds(2));
        scheduler.tick("test");
        assertThat(mesos.killed).contains(old.get(0));
        scheduler.onUpdate(update(old.get(0), InstanceState.KILLED, false));
        scheduler.onOffers(List.of(offer("o4", 2, 4096)));

        assertThat(mesos.accepted).singleElement().satisfies(a -> assertThat(a.launches()).singleElement()
                .satisfies(l -> assertThat(l.name()).isEqualTo("hello web.2 v1")));
        assertThat(instances.list("hello")).filteredOn(i -> i.restart() == 1).hasSize(2);
    }

    @Test
    void aRestartedSchedulerDoesNotLaunchBeforeTheStoredTime() {
        String task = launchedWeb("hello");
        for (int crash = 0; crash < 30; crash++) {
            scheduler.onUpdate(failed(task, "exited with code 1"));
            clock.advance(Backoff.delay(crash + 1));
            mesos.accepted.clear();
            scheduler.onOffers(List.of(offer("o-" + crash, 2, 4096)));
            task = mesos.accepted.get(0).launches().get(0).taskId();
        }
        scheduler.onUpdate(failed(task, "exited with code 1"));
        Duration wait = Backoff.delay(31);
        assertThat(wait).isGreaterThan(Duration.ofMinutes(1));

        // The framework restarts: a new scheduler on the same ZooKeeper, with nothing in memory.
        scheduler.close();
        scheduler = newScheduler();
        scheduler.onSubscribed("fw-1");
        mesos.accepted.clear();
        clock.advance(wait.minusSeconds(1));
        scheduler.onOffers(List.of(offer("early", 2, 4096)));
        assertThat(mesos.accepted).as("still backing off after the restart").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        scheduler.onOffers(List.of(offer("due", 2, 4096)));
        assertThat(mesos.accepted).hasSize(1);
    }

    @Test
    void aNewReleaseOfACrashLoopingAppLaunchesAtOnce() {
        String task = launchedWeb("hello");
        scheduler.onUpdate(failed(task, "exited with code 1"));
        Versioned<App> app = apps.require("hello");
        releases.publish(app, new Release(2, "d".repeat(64), 10, Map.of("web", "./web"), "", clock.instant()));
        scheduler.onAppsChanged(List.of(app.value().name()));
        mesos.accepted.clear();

        scheduler.onOffers(List.of(offer("o2", 2, 4096)));

        assertThat(mesos.accepted).singleElement().satisfies(a ->
                assertThat(a.launches()).singleElement().satisfies(l -> assertThat(l.name()).isEqualTo("hello web.1 v2")));
    }

    @Test
    void fiveHealthyMinutesForgetTheStoredCrashes() {
        String task = launchedWeb("hello");
        scheduler.onUpdate(failed(task, "exited with code 1"));
        clock.advance(Duration.ofSeconds(1));
        scheduler.onOffers(List.of(offer("o2", 2, 4096)));
        task = mesos.accepted.get(mesos.accepted.size() - 1).launches().get(0).taskId();
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));

        clock.advance(Backoff.HEALTHY_RESET.minusSeconds(1));
        scheduler.runOnce();
        assertThat(apps.crashes().list("hello")).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        scheduler.runOnce();
        assertThat(apps.crashes().list("hello")).isEmpty();
    }

    @Test
    void anInstanceThatStayedUpLongEnoughIsForgivenItsEarlierCrashes() {
        String task = launchedWeb("hello");
        for (int crash = 0; crash < 3; crash++) {
            scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
            scheduler.onUpdate(update(task, InstanceState.FAILED, null));
            clock.advance(Duration.ofMinutes(1));
            mesos.accepted.clear();
            scheduler.onOffers(List.of(offer("o-" + crash, 2, 4096)));
            task = mesos.accepted.get(0).launches().get(0).taskId();
        }
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        clock.advance(Backoff.HEALTHY_RESET);
        scheduler.onUpdate(update(task, InstanceState.FAILED, null));
        mesos.accepted.clear();

        clock.advance(Duration.ofSeconds(1));
        scheduler.onOffers(List.of(offer("o-after", 2, 4096)));

        assertThat(mesos.accepted).as("one failure after a stable run waits 1 s, not 8 s").hasSize(1);
    }

    @Test
    void eachStoredStepTellsTheEventStreamOfInstanceStatesHealthAndTheDeploymentsProgress() {
        scheduler.close();
        dev.slipway.framework.events.EventLog events = new dev.slipway.framework.events.EventLog(clock);
        List<dev.slipway.framework.events.Event> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        events.subscribe(null, told::add);
        scheduler = new Scheduler(new State(apps, releases, instances), mesos, new FrameworkIdStore(zk), launchFactory,
                new Scheduler.Observers(logs, new dev.slipway.framework.offer.AgentRoom(), events), clock);

        scheduler.onSubscribed("fw-1");
        givenDeployed("told", Map.of());
        scheduler.onOffers(List.of(offer("o1", 2, 4096)));
        String task = mesos.accepted.get(mesos.accepted.size() - 1).launches().get(0).taskId();
        scheduler.onUpdate(update(task, InstanceState.STARTING, false));
        scheduler.onUpdate(update(task, InstanceState.RUNNING, true));
        scale("told", 2);

        assertThat(told).extracting(e -> e.type() + " " + readJson(e.json()).path("message").asText())
                .containsExactly(
                        "deployment.progress v1: pending",
                        "instance.state web.1 (v1) LAUNCHING",
                        "deployment.progress v1: 0/1 web up",
                        "instance.state web.1 (v1) LAUNCHING -> STARTING",
                        "instance.state web.1 (v1) STARTING -> RUNNING",
                        "instance.health web.1 (v1) healthy",
                        "deployment.succeeded v1 deployed: 1/1 web up");
        assertThat(told).extracting(dev.slipway.framework.events.Event::app).containsOnly("told");
        JsonNode running = readJson(told.get(4).json());
        assertThat(running.path("state").asText()).isEqualTo("RUNNING");
        assertThat(running.path("previous_state").asText()).isEqualTo("STARTING");
        assertThat(running.path("task_id").asText()).isEqualTo(task);
        assertThat(running.path("release").asInt()).isEqualTo(1);
    }

    @Test
    void theInstanceOfTheOldReleaseLeavesTheRoutesAsSoonAsItsReplacementIsHealthyWithoutWaitingForATick() {
        String v1 = launchedWeb("hello");
        scheduler.onUpdate(update(v1, InstanceState.RUNNING, true));
        Versioned<App> app = apps.require("hello");
        releases.publish(app, new Release(2, "d".repeat(64), 10, Map.of("web", "./web"), "", clock.instant()));
        scheduler.onAppsChanged(List.of("hello"));
        scheduler.onOffers(List.of(offer("o2", 2, 4096)));
        String v2 = mesos.accepted.get(mesos.accepted.size() - 1).launches().get(0).taskId();
        assertThat(routes.get("hello")).get().satisfies(r -> assertThat(r.routesTo(v1)).isTrue());

        scheduler.onUpdate(update(v2, InstanceState.RUNNING, true));

        assertThat(routes.get("hello")).get().satisfies(r -> {
            assertThat(r.routesTo(v2)).isTrue();
            assertThat(r.routesTo(v1)).as("the old instance is stopping, out of the routes").isFalse();
        });
    }

    @Test
    void aDeploymentIsStoredAndANewLeaderCarriesItOnToItsEnd() {
        scheduler.onSubscribed("fw-1");
        givenDeployed("carried", Map.of());
        scheduler.onOffers(List.of(offer("o1", 2, 4096)));
        String v1 = mesos.accepted.get(mesos.accepted.size() - 1).launches().get(0).taskId();
        scheduler.onUpdate(update(v1, InstanceState.RUNNING, true));
        DeploymentStore deployments = apps.deployments();
        assertThat(deployments.latest("carried")).get().satisfies(d -> {
            assertThat(d.state()).isEqualTo(DeploymentState.SUCCEEDED);
            assertThat(d.progress()).isEqualTo("1/1 web up");
        });
        Versioned<App> app = apps.require("carried");
        releases.publish(app, new Release(2, "d".repeat(64), 10, Map.of("web", "./web"), "", clock.instant()));
        scheduler.onAppsChanged(List.of("carried"));
        scheduler.onOffers(List.of(offer("o2", 2, 4096)));
        String v2 = mesos.accepted.get(mesos.accepted.size() - 1).launches().get(0).taskId();
        Deployment begun = deployments.get("carried", 2).orElseThrow();
        assertThat(begun.state()).isEqualTo(DeploymentState.IN_PROGRESS);
        assertThat(begun.fallback()).isEqualTo(1);

        scheduler.close();
        scheduler = newScheduler();
        scheduler.onSubscribed("fw-1");
        scheduler.onUpdate(update(v2, InstanceState.RUNNING, true));
        scheduler.runOnce();
        clock.advance(Duration.ofSeconds(2));
        scheduler.runOnce();
        scheduler.onUpdate(update(v1, InstanceState.KILLED, false));

        assertThat(deployments.get("carried", 2)).get().satisfies(d -> {
            assertThat(d.state()).isEqualTo(DeploymentState.SUCCEEDED);
            assertThat(d.createdAt()).isEqualTo(begun.createdAt());
            assertThat(d.running()).isEqualTo(2);
        });
        assertThat(deployments.list("carried")).extracting(Deployment::id).containsExactly(2, 1);
    }

    private static JsonNode readJson(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private String launchedWeb(String app) {
        givenDeployed(app, Map.of());
        scheduler.onSubscribed("fw-1");
        scheduler.onOffers(List.of(offer("o1", 2, 4096)));
        return mesos.accepted.get(mesos.accepted.size() - 1).launches().get(0).taskId();
    }

    private void givenDeployed(String name, Map<String, Integer> formation) {
        Versioned<App> app = apps.create(App.named(name).formation(formation).createdAt(clock.instant()).build());
        releases.publish(app, new Release(1, "c".repeat(64), 10, Map.of("web", "./web"), "", clock.instant()));
        scheduler.onAppsChanged(List.of(app.value().name()));
    }

    private void scale(String name, int web) {
        Versioned<App> app = apps.require(name);
        apps.update(app.value().scaled("web", web), app.version());
        scheduler.onAppsChanged(List.of(app.value().name()));
    }

    private static Offer offer(String id, double cpus, double mem) {
        return new Offer(id, "agent-1", "127.0.0.1", new Resources(cpus, mem,
                List.of(new Resources.PortRange(31000, 31100))));
    }

    private static TaskUpdate update(String task, InstanceState state, Boolean healthy) {
        return new TaskUpdate(task, "agent-1", state, healthy, "", "", "SOURCE_EXECUTOR", new byte[] {1, 2, 3});
    }

    private static TaskUpdate failed(String task, String message) {
        return new TaskUpdate(task, "agent-1", InstanceState.FAILED, null, message, "", "SOURCE_EXECUTOR",
                new byte[] {1, 2, 3});
    }

    /** The apps' logs, which the test can make throw once, as a bug in a collaborator would. */
    static final class FaultyLogs implements LogSink {
        private final AtomicBoolean failNext = new AtomicBoolean();

        void failNextEvent() {
            failNext.set(true);
        }

        @Override
        public void event(String app, String dyno, String message) {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("a bug in the log sink");
            }
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
