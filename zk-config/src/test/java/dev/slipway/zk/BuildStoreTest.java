package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BuildStoreTest extends StoreScenario {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void aBuildIsStoredPendingAndThenFinished() {
        BuildStore builds = storeWithApp("alpha");
        Build pending = builds.create(Build.pending(id(), "alpha", NOW));

        assertThat(builds.require("alpha", pending.id()).status()).isEqualTo(BuildStatus.PENDING);
        builds.put(pending.succeeded(3, NOW.plusSeconds(30)));

        Build finished = builds.require("alpha", pending.id());
        assertThat(finished.status()).isEqualTo(BuildStatus.SUCCEEDED);
        assertThat(finished.release()).isEqualTo(3);
        assertThat(finished.finishedAt()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void aBuildKeepsItsSourceChecksumThroughItsEndAndOneStoredWithoutItReadsEmpty() throws Exception {
        BuildStore builds = storeWithApp("summed");
        String checksum = "sha256:" + "ab".repeat(32);
        Build pending = builds.create(Build.pending(id(), "summed", NOW, checksum));
        builds.put(pending.failed("bin/compile exited 1", NOW.plusSeconds(5)));

        assertThat(builds.require("summed", pending.id()).sourceChecksum()).isEqualTo(checksum);
        Build older = Json.mapper().readValue("{\"id\": \"" + id() + "\", \"app\": \"summed\", \"status\": "
                + "\"PENDING\", \"release\": 0, \"error\": \"\"}", Build.class);
        assertThat(older.sourceChecksum()).isEmpty();
        assertThatThrownBy(() -> Build.pending(id(), "summed", NOW, "md5:abc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBuildOfAnAppThatDoesNotExistIsNotFoundAndStoresNothing() {
        BuildStore builds = new BuildStore(zk);
        assertThatThrownBy(() -> builds.create(Build.pending(id(), "nobody", NOW))).isInstanceOf(NotFound.class);
        assertThat(new AppStore(zk).get("nobody")).isEmpty();
    }

    @Test
    void buildsAreListedNewestFirst() {
        BuildStore builds = storeWithApp("beta");
        Build first = builds.create(Build.pending(id(), "beta", NOW));
        Build second = builds.create(Build.pending(id(), "beta", NOW.plusSeconds(1)));
        Build third = builds.create(Build.pending(id(), "beta", NOW.plusSeconds(2)));

        assertThat(builds.list("beta")).extracting(Build::id).containsExactly(third.id(), second.id(), first.id());
    }

    @Test
    void pruningKeepsTheNewestFinishedBuildsAndEveryPendingOne() {
        BuildStore builds = storeWithApp("gamma");
        Build oldPending = builds.create(Build.pending(id(), "gamma", NOW));
        for (int i = 1; i <= 4; i++) {
            builds.create(Build.pending(id(), "gamma", NOW.plusSeconds(i)).failed("no", NOW.plusSeconds(i)));
        }
        List<String> newestTwo = builds.list("gamma").subList(0, 2).stream().map(Build::id).toList();

        List<Build> removed = builds.prune("gamma", 2);

        assertThat(removed).hasSize(2).extracting(Build::status).containsOnly(BuildStatus.FAILED);
        assertThat(builds.list("gamma")).extracting(Build::id)
                .containsExactly(newestTwo.get(0), newestTwo.get(1), oldPending.id());
    }

    @Test
    void pendingBuildsOfEveryAppAreFound() {
        BuildStore builds = storeWithApp("delta");
        storeWithApp("epsilon");
        Build running = builds.create(Build.pending(id(), "delta", NOW));
        builds.create(Build.pending(id(), "epsilon", NOW).failed("broken", NOW));

        List<Build> pending = builds.pending();
        assertThat(pending).extracting(Build::id).contains(running.id());
        assertThat(pending).extracting(Build::status).containsOnly(BuildStatus.PENDING);
    }

    @Test
    void anIdThatIsNotAUuidNamesNoBuild() {
        BuildStore builds = storeWithApp("zeta");
        assertThat(builds.get("zeta", "..")).isEmpty();
        assertThatThrownBy(() -> builds.require("zeta", "../../framework")).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> Build.pending("not-a-uuid", "zeta", NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedBuildAlwaysSaysWhy() {
        Build failed = Build.pending(id(), "eta", NOW).failed("  ", NOW);
        assertThat(failed.error()).isNotBlank();
        assertThat(failed.release()).isZero();
    }

    private static BuildStore storeWithApp(String name) {
        AppStore apps = new AppStore(zk);
        apps.create(App.created(name, NOW));
        return apps.builds();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
