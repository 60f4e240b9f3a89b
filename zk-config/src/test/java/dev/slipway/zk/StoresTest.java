package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
    @TempDir
    static Path dataDir;
    static EmbeddedZooKeeper server;
    static CuratorFramework zk;
    static ZkCredentials credentials = ZkCredentials.random();
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @BeforeAll
    static void startZooKeeper() {
        server = EmbeddedZooKeeper.start(dataDir.resolve("zk"), 0);
        zk = ZkClient.connect(server.connectString(), "/stores-test", credentials.slipway(), credentials.acls(), 30);
    }

    @AfterAll
    static void stopZooKeeper() {
        // Whatever the stores wrote (creates, puts, transactions, containers) carries Slipway's ACLs already.
        assertThat(credentials.acls().migrate(zk)).as("znodes the stores made without Slipway's ACLs").isZero();
        zk.close();
        server.close();
    }

    @Test
    void anAppIsCreatedOnceAndReadBack() {
        AppStore apps = new AppStore(zk);
        apps.create(App.created("alpha", NOW));

        assertThat(apps.get("alpha")).get().extracting(v -> v.value().name()).isEqualTo("alpha");
        assertThatThrownBy(() -> apps.create(App.created("alpha", NOW))).isInstanceOf(Conflict.class);
        assertThat(apps.list()).extracting(App::name).contains("alpha");
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() {
        AppStore apps = new AppStore(zk);
        Versioned<App> created = apps.create(App.created("beta", NOW));
        apps.update(created.value().scaled("web", 2), created.version());

        assertThatThrownBy(() -> apps.update(created.value().scaled("web", 5), created.version()))
                .isInstanceOf(Conflict.class);
        assertThat(apps.require("beta").value().formation()).isEqualTo(Map.of("web", 2));
    }

    @Test
    void publishingAReleaseMovesTheAppToItInOneTransaction() {
        AppStore apps = new AppStore(zk);
        ReleaseStore releases = new ReleaseStore(zk);
        Versioned<App> app = apps.create(App.created("gamma", NOW));

        Versioned<App> after = releases.publish(app, aRelease(1));

        assertThat(after.value().release()).isEqualTo(1);
        assertThat(apps.require("gamma").value().release()).isEqualTo(1);
        assertThat(releases.list("gamma")).extracting(Release::version).containsExactly(1);
    }

    @Test
    void aReleaseRacingAnotherWriterIsRefusedWithoutAHalfWrittenRelease() {
        AppStore apps = new AppStore(zk);
        ReleaseStore releases = new ReleaseStore(zk);
        Versioned<App> app = apps.create(App.created("delta", NOW));
        apps.update(app.value().scaled("web", 3), app.version());

        assertThatThrownBy(() -> releases.publish(app, aRelease(1))).isInstanceOf(Conflict.class);
        assertThat(releases.list("delta")).isEmpty();
        assertThat(apps.require("delta").value().release()).isZero();
    }

    @Test
    void releasesAreListedInNumericOrder() {
        AppStore apps = new AppStore(zk);
        ReleaseStore releases = new ReleaseStore(zk);
        Versioned<App> app = apps.create(App.created("epsilon", NOW));
        for (int v = 1; v <= 11; v++) {
            app = releases.publish(app, aRelease(v));
        }
        assertThat(releases.list("epsilon")).extracting(Release::version)
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void instancesArePutReadListedAndDeleted() {
        InstanceStore instances = new InstanceStore(zk);
        Instance web = new Instance("zeta.web.1.v1.abc", "zeta", "web", 1, 1, InstanceState.RUNNING, "agent-1",
                "127.0.0.1", 31000, true, "", NOW);
        instances.put(web);
        instances.put(web.with(InstanceState.KILLING, false, "stopping", NOW));

        assertThat(instances.get(web.taskId())).get().extracting(Instance::state).isEqualTo(InstanceState.KILLING);
        assertThat(instances.list("zeta")).hasSize(1);
        assertThat(instances.delete(web.taskId())).isTrue();
        assertThat(instances.get(web.taskId())).isEmpty();
    }

    @Test
    void anAppsInstancesAreReadByTheirIdsAloneAndNotThoseOfAnAppWithALongerName() {
        InstanceStore instances = new InstanceStore(zk);
        Instance mine = new Instance("eta.web.1.v1.abc", "eta", "web", 1, 1, InstanceState.RUNNING, "agent-1", "h",
                31000, true, "", NOW);
        Instance longer = new Instance("eta-two.web.1.v1.abc", "eta-two", "web", 1, 1, InstanceState.RUNNING,
                "agent-1", "h", 31001, true, "", NOW);
        instances.put(mine);
        instances.put(longer);

        assertThat(instances.list("eta")).containsExactly(mine);
        assertThat(instances.list("eta-two")).containsExactly(longer);
    }

    @Test
    void aStateWriteIsOneVersionCheckedMultiOfInstancesAndRoutes() {
        InstanceStore instances = new InstanceStore(zk);
        RouteStore routes = new RouteStore(zk);
        Instance web = new Instance("theta.web.1.v1.abc", "theta", "web", 1, 1, InstanceState.LAUNCHING, "agent-1",
                "h", 31000, false, "", NOW);
        Map<String, Integer> created = new StateWrite(zk).putInstance(web, StateWrite.NEW)
                .putRoute(new Route("theta", List.of(), List.of()), false).commit();
        assertThat(created).containsEntry(web.taskId(), 0);

        Instance up = web.with(InstanceState.RUNNING, true, "", NOW);
        Route routed = new Route("theta", List.of(), List.of(new Route.Endpoint("h", 31000, "web.1", web.taskId())));
        assertThatThrownBy(() -> new StateWrite(zk).putInstance(up, 7).putRoute(routed, true).commit())
                .isInstanceOf(Conflict.class);
        assertThat(routes.get("theta")).get().extracting(Route::endpoints).asList().as("nothing of it written").isEmpty();

        assertThat(new StateWrite(zk).putInstance(up, 0).putRoute(routed, true).commit())
                .containsEntry(web.taskId(), 1);
        assertThat(instances.get(web.taskId())).contains(up);
        assertThat(routes.get("theta")).contains(routed);
    }

    @Test
    void aStateWriteFencedByAnElectionNodeThatIsGoneStoresNothing() throws Exception {
        String node = zk.create().creatingParentsIfNeeded().forPath("/fence-test/latch-0001");
        Instance web = new Instance("kappa.web.1.v1.abc", "kappa", "web", 1, 1, InstanceState.LAUNCHING, "agent-1",
                "h", 31000, false, "", NOW);
        new StateWrite(zk).fencedBy(node).putInstance(web, StateWrite.NEW).commit();

        zk.delete().forPath(node);
        Instance up = web.with(InstanceState.RUNNING, true, "", NOW);

        assertThatThrownBy(() -> new StateWrite(zk).fencedBy(node).putInstance(up, 0).commit())
                .isInstanceOf(Conflict.class).hasMessageContaining("no longer leads");
        assertThatThrownBy(() -> new StateWrite(zk).fencedBy(null)).isInstanceOf(Conflict.class);
        assertThat(new InstanceStore(zk).get(web.taskId())).contains(web);
    }

    @Test
    void aStateWriteTooLargeForOneRequestIsSentAsSeveralMultis() {
        StateWrite write = new StateWrite(zk);
        for (int i = 0; i < 3000; i++) {
            write.putInstance(new Instance("iota.web." + i + ".v1.abc", "iota", "web", i + 1, 1,
                    InstanceState.LAUNCHING, "agent-1", "h", 31000, false, "m".repeat(300), NOW), StateWrite.NEW);
        }

        assertThat(write.commit()).hasSize(3000);
        assertThat(new InstanceStore(zk).list("iota")).hasSize(3000);
    }

    @Test
    void aListingOfManyInstancesReadsEachOnceInNameOrder() {
        InstanceStore instances = new InstanceStore(zk);
        for (int i = 1; i <= 500; i++) {
            instances.put(new Instance(String.format("many.web.%03d.v1.abc", i), "many", "web", i, 1,
                    InstanceState.RUNNING, "agent-1", "127.0.0.1", 31000 + i, true, "", NOW));
        }

        List<Instance> listed = instances.list("many");

        assertThat(listed).hasSize(500);
        assertThat(listed).extracting(Instance::index).isSorted().doesNotHaveDuplicates();
        assertThat(listed.get(499).port()).isEqualTo(31500);
        // An app whose name begins another's reads only its own.
        instances.put(new Instance("man.web.1.v1.abc", "man", "web", 1, 1, InstanceState.RUNNING, "agent-1",
                "127.0.0.1", 31000, true, "", NOW));
        assertThat(instances.list("man")).extracting(Instance::taskId).containsExactly("man.web.1.v1.abc");
        instances.delete("man.web.1.v1.abc");
        listed.forEach(i -> instances.delete(i.taskId()));
        assertThat(instances.list("many")).isEmpty();
    }

    @Test
    void routeWatchersSeeTheWholeTableAfterEachChange() throws Exception {
        RouteStore routes = new RouteStore(zk);
        List<Map<String, Route>> seen = new CopyOnWriteArrayList<>();
        try (RouteWatcher watcher = routes.watch(seen::add)) {
            assertThat(watcher.awaitInitialized(10, TimeUnit.SECONDS)).isTrue();
            routes.put(new Route("eta", List.of(), List.of(new Route.Endpoint("127.0.0.1", 31001, "web.1", "t1"))));

            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !seen.isEmpty()
                    && seen.get(seen.size() - 1).containsKey("eta"));
            assertThat(seen.get(seen.size() - 1).get("eta").endpoints()).extracting(Route.Endpoint::port)
                    .containsExactly(31001);

            routes.delete("eta");
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !seen.get(seen.size() - 1).containsKey("eta"));
        }
    }

    @Test
    void theFrameworkIdSurvivesAsWritten() {
        FrameworkIdStore ids = new FrameworkIdStore(zk);
        ids.set("fw-123");
        assertThat(ids.get()).contains("fw-123");
    }

    @Test
    void unknownStoredFieldsAreIgnoredForForwardCompatibility() throws Exception {
        zk.create().creatingParentsIfNeeded().forPath(ZkPaths.app("theta"),
                "{\"name\":\"theta\",\"formation\":{},\"release\":0,\"a_future_field\":true}".getBytes());
        assertThat(new AppStore(zk).require("theta").value().name()).isEqualTo("theta");
    }

    @Test
    void anAppStoredBeforeBuildpacksExistedDetectsItsBuildpacks() throws Exception {
        zk.create().creatingParentsIfNeeded().forPath(ZkPaths.app("iota"),
                "{\"name\":\"iota\",\"formation\":{\"web\":1},\"release\":0}".getBytes());
        assertThat(new AppStore(zk).require("iota").value().buildpacks()).isEmpty();
    }

    @Test
    void anAppsBuildpacksAreStoredInOrderWithAVersionedWrite() {
        AppStore apps = new AppStore(zk);
        Versioned<App> app = apps.create(App.created("kappa", NOW));
        apps.update(app.value().withBuildpacks(List.of("nodejs", "https://example.com/bp.tgz")), app.version());

        assertThat(apps.require("kappa").value().buildpacks()).containsExactly("nodejs", "https://example.com/bp.tgz");
        assertThatThrownBy(() -> apps.update(app.value().withBuildpacks(List.of()), app.version()))
                .isInstanceOf(Conflict.class);
    }

    @Test
    void anAppStoredBeforeKillGracesExistedUsesTheFrameworksDefault() throws Exception {
        zk.create().creatingParentsIfNeeded().forPath(ZkPaths.app("omicron"),
                ("{\"name\":\"omicron\",\"formation\":{\"web\":1},\"release\":2,"
                        + "\"created_at\":\"2026-11-27T12:00:00Z\",\"buildpacks\":[\"nodejs\"]}").getBytes());

        App app = new AppStore(zk).require("omicron").value();

        assertThat(app.killGraceSeconds()).isNull();
        assertThat(app.killGraceSecondsOr(10)).isEqualTo(10);
        assertThat(app.buildpacks()).containsExactly("nodejs");
    }

    @Test
    void anAppsKillGraceIsStoredWithAVersionedWriteAndResetToTheDefault() {
        AppStore apps = new AppStore(zk);
        Versioned<App> app = apps.create(App.created("pi", NOW));
        Versioned<App> graced = apps.update(app.value().withKillGraceSeconds(30), app.version());

        assertThat(apps.require("pi").value().killGraceSeconds()).isEqualTo(30);
        assertThat(apps.require("pi").value().killGraceSecondsOr(10)).isEqualTo(30);
        assertThatThrownBy(() -> apps.update(app.value().withKillGraceSeconds(60), app.version()))
                .isInstanceOf(Conflict.class);

        apps.update(graced.value().withKillGraceSeconds(null), graced.version());
        assertThat(apps.require("pi").value().killGraceSeconds()).isNull();
    }

    @Test
    void anAppKeepsItsKillGraceThroughScalesReleasesAndBuildpacks() {
        App app = App.created("rho", NOW).withKillGraceSeconds(45)
                .scaled("web", 2).withRelease(3).withBuildpacks(List.of("static"));
        assertThat(app.killGraceSeconds()).isEqualTo(45);
        assertThat(app.toString()).contains("killGraceSeconds=45");
    }

    @Test
    void aKillGraceOutsideOneToThreeHundredSecondsIsRefused() {
        App app = App.created("sigma", NOW);
        assertThat(app.withKillGraceSeconds(1).killGraceSeconds()).isEqualTo(1);
        assertThat(app.withKillGraceSeconds(300).killGraceSeconds()).isEqualTo(300);
        assertThatThrownBy(() -> app.withKillGraceSeconds(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 1 to 300 seconds");
        assertThatThrownBy(() -> app.withKillGraceSeconds(301)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAppNeverShowsCredentialsOfItsBuildpackUrlsInText() {
        App app = App.created("nu", NOW).withBuildpacks(List.of("https://bot:s3cret@git.example.com/bp.git#v1"));
        assertThat(app.toString()).contains("https://***@git.example.com/bp.git#v1").doesNotContain("s3cret");
    }

    @Test
    void aReleaseKeepsTheConfigVarsItsBuildpacksAskedFor() {
        AppStore apps = new AppStore(zk);
        ReleaseStore releases = new ReleaseStore(zk);
        Versioned<App> app = apps.create(App.created("lambda", NOW));
        releases.publish(app, new Release(1, "a".repeat(64), 100, Map.of("web", "./start"),
                Map.of("NODE_ENV", "production"), "test", NOW));

        assertThat(releases.get("lambda", 1)).get().extracting(Release::configVars)
                .isEqualTo(Map.of("NODE_ENV", "production"));
    }

    @Test
    void aReleaseStoredBeforeConfigVarsExistedHasNone() throws Exception {
        new AppStore(zk).create(App.created("mu", NOW));
        zk.create().creatingParentsIfNeeded().forPath(ZkPaths.release("mu", 1),
                ("{\"version\":1,\"slug\":\"" + "a".repeat(64) + "\",\"slug_size\":1,"
                        + "\"process_types\":{\"web\":\"./start\"}}").getBytes());
        assertThat(new ReleaseStore(zk).get("mu", 1)).get().extracting(Release::configVars).isEqualTo(Map.of());
    }

    @Test
    void aReleaseNeverShowsItsConfigVarValuesInText() {
        Release release = new Release(1, "a".repeat(64), 1, Map.of(), Map.of("SECRET", "hunter2"), "", NOW);
        assertThat(release.toString()).contains("SECRET").doesNotContain("hunter2");
    }

    @Test
    void pathsRefuseSegmentsThatWouldEscape() {
        assertThatThrownBy(() -> ZkPaths.app("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZkPaths.app("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static Release aRelease(int version) {
        return new Release(version, "a".repeat(64), 100, Map.of("web", "./start"), "test", NOW);
    }
}
