package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How an app's release history is cut back to its last releases. */
class ReleaseTrimTest extends StoreScenario {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void theOldestReleasesGoAndTheNewestStay() {
        ReleaseStore releases = releasesOf("plain", 5);

        List<Release> removed = releases.trim("plain", 3, Set.of());

        assertThat(removed).extracting(Release::version).containsExactly(1, 2);
        assertThat(releases.list("plain")).extracting(Release::version).containsExactly(3, 4, 5);
    }

    @Test
    void oldReleasesThatInstancesStillRunStayWithoutCostingANewerOne() {
        // Instances (or their records) name v1-v3: the history stays longer than asked, and the
        // release just made, which no instance runs yet, is never what goes instead.
        ReleaseStore releases = releasesOf("spared", 4);

        List<Release> removed = releases.trim("spared", 3, Set.of(1, 2, 3));

        assertThat(removed).isEmpty();
        assertThat(releases.list("spared")).extracting(Release::version).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aSparedOldReleaseKeepsItsPlaceAndTheOthersOlderThanTheLastOnesGo() {
        ReleaseStore releases = releasesOf("mixed", 6);

        List<Release> removed = releases.trim("mixed", 3, Set.of(2));

        assertThat(removed).extracting(Release::version).containsExactly(1, 3);
        assertThat(releases.list("mixed")).extracting(Release::version).containsExactly(2, 4, 5, 6);
    }

    private static ReleaseStore releasesOf(String app, int count) {
        AppStore apps = new AppStore(zk);
        ReleaseStore releases = new ReleaseStore(zk);
        apps.create(App.created(app, NOW));
        for (int version = 1; version <= count; version++) {
            String slug = String.format("%064x", version);
            releases.publish(apps.require(app), new Release(version, slug, 1, Map.of("web", "./serve"),
                    "Deploy " + version, NOW));
        }
        return releases;
    }
}
