package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every stored record is bounded in its compact constructor, whoever builds it. */
class RecordBoundsTest {
    @Test
    void anAppsFormationNamesProcessTypesOnly() {
        assertThatThrownBy(() -> App.named("a").formation(Map.of("web.1", 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'web.1' is not a valid name");
        assertThatThrownBy(() -> App.created("a", Instant.EPOCH).scaled("x".repeat(65), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(App.created("a", Instant.EPOCH).scaled("worker_2-b", 1).formation()).containsEntry("worker_2-b", 1);
    }

    @Test
    void anAppWrittenBeforeTheBoundsReadsBackWithoutWhatNoVersionCouldRun() throws Exception {
        StringBuilder formation = new StringBuilder("{\"Worker\": 2, \"web\": 1");
        for (int i = 0; i < 263; i++) {
            formation.append(", \"t").append(i).append('-').append("x".repeat(3000)).append("\": 1");
        }
        String stored = "{\"name\": \"victim\", \"formation\": " + formation + "}, \"release\": 3, "
                + "\"created_at\": \"2026-12-06T10:00:00Z\", \"kill_grace_seconds\": 30}";

        App app = Json.mapper().readValue(stored, App.class);

        assertThat(app.formation()).isEqualTo(Map.of("Worker", 2, "web", 1));
        assertThat(app.release()).isEqualTo(3);
        assertThat(app.killGraceSeconds()).isEqualTo(30);
        assertThat(app.createdAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(app), App.class)).isEqualTo(app);
    }

    @Test
    void anAppHasAtMostFiftyProcessTypesOfAtMostAHundredInstances() {
        Map<String, Integer> fifty = new TreeMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("t" + i, 100);
        }
        App full = App.named("a").formation(fifty).build();

        assertThatThrownBy(() -> full.scaled("t50", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 50");
        assertThatThrownBy(() -> full.scaled("t0", 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProcessTypeHasAtMostTenConstraintsOfAtMost200Characters() {
        App app = App.created("a", Instant.EPOCH);

        assertThat(app.withConstraints("web", List.of("hostname:UNIQUE")).constraintsOf("web"))
                .containsExactly("hostname:UNIQUE");
        assertThatThrownBy(() -> app.withConstraints("web", java.util.Collections.nCopies(11, "hostname:UNIQUE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11 constraints: at most 10");
        assertThatThrownBy(() -> app.withConstraints("web", List.of("hostname:LIKE:" + "a".repeat(190))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 200");
        assertThatThrownBy(() -> app.withConstraints("web.1", List.of("hostname:UNIQUE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'web.1' is not a valid name");
        assertThat(app.withConstraints("web", List.of("hostname:UNIQUE")).withConstraints("web", List.of())
                .constraints()).isEmpty();
    }

    @Test
    void anAppsConstraintsSurviveJsonAndAnAppStoredWithoutThemHasNone() throws Exception {
        App app = App.created("a", Instant.EPOCH).withConstraints("web", List.of("zone:GROUP_BY:3", "hostname:UNIQUE"));

        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(app), App.class)).isEqualTo(app);
        assertThat(Json.mapper().readValue("{\"name\": \"old\", \"release\": 1}", App.class).constraints()).isEmpty();
    }

    @Test
    void anAppHasAtMostTwentyBuildpacksOfBoundedLength() {
        App app = App.created("a", Instant.EPOCH);

        assertThatThrownBy(() -> app.withBuildpacks(List.of("x".repeat(2049))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> app.withBuildpacks(java.util.Collections.nCopies(21, "nodejs")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReleaseBoundsItsProcessTypesAndConfigVarsWithoutShowingValues() {
        assertThatThrownBy(() -> new Release(1, "s", 1, Map.of("web.1", "x"), "", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Release(1, "s", 1, Map.of("web", "x".repeat(4097)), "", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Release(1, "s", 1, Map.of("web", "x"), Map.of("BIG", "secret".repeat(6000)), "",
                null)).isInstanceOf(IllegalArgumentException.class).message().doesNotContain("secret");
    }

    @Test
    void messagesFromElsewhereAreCut() {
        Instance instance = new Instance("t", "a", "web", 1, 1, InstanceState.STAGING, "", "", 0, false,
                "m".repeat(100_000), null);
        Build build = Build.pending("0b7d3c5e-3c1f-4b0e-9a55-8f1b2b7e4c11", "a", Instant.EPOCH)
                .failed("e".repeat(100_000), Instant.EPOCH);
        Release release = new Release(1, "s", 1, Map.of("web", "x"), "d".repeat(10_000), null);

        assertThat(instance.message()).hasSize(Instance.MAX_MESSAGE_LENGTH);
        assertThat(build.error()).hasSize(Build.MAX_ERROR_LENGTH);
        assertThat(release.description()).hasSize(Release.MAX_DESCRIPTION_LENGTH);
    }
}
