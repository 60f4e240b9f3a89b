package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseUserTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Release V1 = new Release(1, "abc", 10, Map.of("web", "./serve"), Map.of(), Map.of(),
            "Deploy abc", NOW, Map.of("FOO", "1"), "alice");

    @Test
    void aReleaseStoredBeforeReleasesNamedTheirUserReadsWithNoUser() throws Exception {
        String old = "{\"version\":1,\"slug\":\"abc\",\"slug_size\":10,\"process_types\":{\"web\":\"./serve\"},"
                + "\"description\":\"Deploy abc\",\"created_at\":\"2026-12-07T12:00:00Z\"}";

        Release read = Json.mapper().readValue(old, Release.class);

        assertThat(read.user()).isNull();
        assertThat(read.slug()).isEqualTo("abc");
    }

    @Test
    void theUserIsStoredWithTheReleaseAndReadBack() throws Exception {
        Release read = Json.mapper().readValue(Json.mapper().writeValueAsString(V1), Release.class);

        assertThat(read).isEqualTo(V1);
        assertThat(read.user()).isEqualTo("alice");
    }

    @Test
    void aConfigChangeOrRollbackIsMadeByItsOwnUserAndAnAutomaticRollbackBySlipway() {
        assertThat(V1.next(2, Map.of("FOO", "2"), "Set FOO", NOW, "bob").user()).isEqualTo("bob");
        assertThat(V1.copiedAs(3, "Rollback to v1 (v2 failed: ...)", NOW).user()).isEqualTo(Release.SLIPWAY);
        assertThat(V1.copiedAs(3, "Rollback to v1", NOW).userConfig()).isEqualTo(Map.of("FOO", "1"));
    }

    @Test
    void anEmptyUserNameIsRefused() {
        assertThatThrownBy(() -> V1.madeBy("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user");
    }
}
