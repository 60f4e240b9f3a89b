package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deployments as the scheduler writes them (within its multi, with an automatic rollback's
 * release) and the API reads them: newest first, the last {@value DeploymentStore#KEPT} kept.
 */
class DeploymentStoreTest extends StoreScenario {
    static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    @Test
    void deploymentsAreStoredReadNewestFirstAndPrunedToTheLastFifty() {
        AppStore apps = new AppStore(zk);
        apps.create(App.named("many").createdAt(NOW).build());
        DeploymentStore deployments = apps.deployments();
        for (int id = 1; id <= DeploymentStore.KEPT + 2; id++) {
            new StateWrite(zk).putDeployment(Deployment.begin("many", id - 1, id, id - 1, false, "", 300, NOW), false,
                    id == 1).commit();
        }
        Deployment last = deployments.latest("many").orElseThrow();
        new StateWrite(zk).putDeployment(last.succeeded("1/1 web up", NOW, NOW.plusSeconds(60)), true, false).commit();

        deployments.prune("many");

        assertThat(deployments.list("many")).hasSize(DeploymentStore.KEPT).first().satisfies(d -> {
            assertThat(d.id()).isEqualTo(DeploymentStore.KEPT + 2);
            assertThat(d.state()).isEqualTo(DeploymentState.SUCCEEDED);
            assertThat(d.running()).isEqualTo(DeploymentStore.KEPT + 2);
            assertThat(d.steps()).hasSize(2);
        });
        assertThat(deployments.get("many", 1)).isEmpty();
        assertThat(deployments.get("many", 3)).isPresent();
    }

    @Test
    void anAutomaticRollbackIsPublishedOnlyWhileTheAppIsStillAtTheFailedRelease() {
        AppStore apps = new AppStore(zk);
        ReleaseStore releases = new ReleaseStore(zk);
        apps.create(App.named("undo").createdAt(NOW).build());
        Release good = new Release(1, "a".repeat(64), 10, Map.of("web", "./web"), "", NOW);
        releases.publish(apps.require("undo"), good);
        releases.publish(apps.require("undo"), new Release(2, "b".repeat(64), 10, Map.of("web", "./web"), "", NOW));
        Versioned<App> failed = apps.require("undo");

        new StateWrite(zk).publishRelease(failed, good.copiedAs(3, "Rollback to v1 (v2 failed: ...)", NOW)).commit();

        assertThat(apps.require("undo").value().release()).isEqualTo(3);
        assertThat(releases.get("undo", 3)).get().satisfies(r -> {
            assertThat(r.slug()).isEqualTo(good.slug());
            assertThat(r.description()).isEqualTo("Rollback to v1 (v2 failed: ...)");
        });
        assertThatThrownBy(() -> new StateWrite(zk).publishRelease(failed,
                good.copiedAs(3, "again", NOW)).commit()).isInstanceOf(Conflict.class);
    }

    @Test
    void anAutomaticRollbackRestoresTheConfigOfTheReleaseItCopies() {
        AppStore apps = new AppStore(zk);
        ReleaseStore releases = new ReleaseStore(zk);
        apps.create(App.named("reconfigured").createdAt(NOW).build());
        Release good = new Release(1, "a".repeat(64), 10, Map.of("web", "./web"), "", NOW)
                .next(1, Map.of("MODE", "good"), "", NOW);
        releases.publish(apps.require("reconfigured"), good, apps.config().get("reconfigured"));
        releases.publish(apps.require("reconfigured"), good.next(2, Map.of("MODE", "broken"), "Set MODE", NOW),
                apps.config().get("reconfigured"));
        assertThat(apps.config().get("reconfigured").value().vars()).containsEntry("MODE", "broken");

        new StateWrite(zk).publishRelease(apps.require("reconfigured"), good.copiedAs(3, "Rollback to v1", NOW)).commit();

        assertThat(releases.get("reconfigured", 3)).get()
                .satisfies(r -> assertThat(r.userConfig()).containsExactly(Map.entry("MODE", "good")));
        assertThat(apps.config().get("reconfigured").value().vars()).containsExactly(Map.entry("MODE", "good"));
    }

    @Test
    void aDeploymentIsNumberedAsItsReleaseAndItsReasonIsBounded() {
        assertThatThrownBy(() -> new Deployment(2, "app", 1, 3, 1, DeploymentState.PENDING, "", "", false, 300, NOW,
                NOW, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        Deployment ended = Deployment.begin("app", 1, 2, 1, false, "", 300, NOW)
                .ended(DeploymentState.FAILED, "x".repeat(5000), NOW);

        assertThat(ended.reason()).hasSize(Deployment.MAX_REASON_LENGTH).endsWith("...");
        assertThat(ended.finishedAt()).isEqualTo(NOW);
    }
}
