package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The app record as stored: its JSON form does not move, and records of older versions still read. */
class AppJsonTest {
    private static final App FULL = App.named("web").formation(Map.of("web", 2, "worker", 1)).release(3)
            .createdAt(Instant.parse("2026-12-07T10:00:00Z")).buildpacks(List.of("https://example.com/bp.tgz"))
            .killGraceSeconds(30).constraints(Map.of("web", List.of("hostname:UNIQUE")))
            .sizes(Map.of("web", new Size("large", 0.5, 1024))).team("core").restarts(Map.of("web", 1))
            .deployTimeoutSeconds(120).domains(List.of("www.example.com")).stops(Map.of("web.1", 1)).build();
    private static final String FULL_JSON = """
            {"name":"web","formation":{"web":2,"worker":1},"release":3,"created_at":"2026-12-07T10:00:00Z",
             "buildpacks":["https://example.com/bp.tgz"],"kill_grace_seconds":30,
             "constraints":{"web":["hostname:UNIQUE"]},"sizes":{"web":{"name":"large","cpus":0.5,"memory_mb":1024}},
             "team":"core","restarts":{"web":1},"deploy_timeout_seconds":120,"domains":["www.example.com"],
             "stops":{"web.1":1},"https_only":false}""";

    @Test
    void anAppIsWrittenInTheJsonFormStoredAppsHave() throws Exception {
        assertThat(tree(FULL)).isEqualTo(Json.mapper().readTree(FULL_JSON));
        assertThat(tree(App.created("x", Instant.EPOCH))).isEqualTo(Json.mapper().readTree("""
                {"name":"x","formation":{},"release":0,"created_at":"1970-01-01T00:00:00Z","buildpacks":[],
                 "kill_grace_seconds":null,"constraints":{},"sizes":{},"team":null,"restarts":{},
                 "deploy_timeout_seconds":null,"domains":[],"stops":{},"https_only":false}"""));
    }

    @Test
    void aStoredAppReadsBackEqual() throws Exception {
        assertThat(Json.mapper().readValue(FULL_JSON, App.class)).isEqualTo(FULL);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsBytes(FULL), App.class)).isEqualTo(FULL);
    }

    @Test
    void anAppStoredWithItsNameAloneReadsWithEveryDefaultAndUnknownFieldsAreIgnored() throws Exception {
        App read = Json.mapper().readValue("{\"name\":\"old\",\"from_the_future\":[1]}", App.class);

        assertThat(read).isEqualTo(App.named("old").build());
        assertThat(read.createdAt()).isEqualTo(Instant.EPOCH);
        assertThat(read.killGraceSeconds()).isNull();
        assertThat(read.domains()).isEmpty();
    }

    @Test
    void anHttpsOnlyAppReadsBackHttpsOnlyAndOneStoredBeforeTheFeatureReadsAsServingPlainHttp() throws Exception {
        App httpsOnly = FULL.toBuilder().httpsOnly(true).build();
        String before = FULL_JSON.replace(",\"https_only\":false", "");

        assertThat(tree(httpsOnly).path("https_only").asBoolean()).isTrue();
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsBytes(httpsOnly), App.class)).isEqualTo(httpsOnly);
        assertThat(before).doesNotContain("https_only");
        assertThat(Json.mapper().readValue(before, App.class)).isEqualTo(FULL);
        assertThat(Json.mapper().readValue(before, App.class).httpsOnly()).isFalse();
        assertThat(Json.mapper().readValue(FULL_JSON.replace("\"https_only\":false", "\"https_only\":null"),
                App.class).httpsOnly()).isFalse();
    }

    @Test
    void theBuilderOfAnAppChangesOnlyWhatItIsTold() {
        assertThat(FULL.toBuilder().build()).isEqualTo(FULL);
        App next = FULL.toBuilder().release(4).team("ops").build();

        assertThat(next.release()).isEqualTo(4);
        assertThat(next.team()).isEqualTo("ops");
        assertThat(next.toBuilder().release(3).team("core").build()).isEqualTo(FULL);
        assertThat(App.named("new").team("core").createdAt(Instant.EPOCH).build())
                .isEqualTo(App.created("new", "core", Instant.EPOCH));
    }

    private static JsonNode tree(App app) throws Exception {
        return Json.mapper().readTree(Json.mapper().writeValueAsBytes(app));
    }
}
