package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An app's buildpacks through the REST API: listed, replaced, validated before anything is stored. */
class BuildpacksApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void aNewAppHasNoBuildpacksAndDetects() throws Exception {
        api.givenApp("fresh");

        HttpResponse<String> listed = api.get("/apps/fresh/buildpacks");

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(listed.body())).isEmpty();
    }

    @Test
    void theListIsReplacedWholeAndShownInOrder() throws Exception {
        api.givenApp("ordered");

        HttpResponse<String> set = set("ordered", "nodejs", "https://github.com/heroku/heroku-buildpack-nodejs#v250",
                "/opt/buildpacks/go", "https://example.com/buildpacks/static.tgz");

        assertThat(set.statusCode()).isEqualTo(200);
        JsonNode listed = api.json("/apps/ordered/buildpacks");
        assertThat(listed).extracting(b -> b.path("ordinal").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(listed).extracting(b -> b.path("buildpack").asText()).containsExactly("nodejs",
                "https://github.com/heroku/heroku-buildpack-nodejs#v250", "/opt/buildpacks/go",
                "https://example.com/buildpacks/static.tgz");
        assertThat(Json.mapper().readTree(set.body())).isEqualTo(listed);
        assertThat(api.apps.require("ordered").value().buildpacks()).hasSize(4);

        assertThat(set("ordered").statusCode()).isEqualTo(200);
        assertThat(api.json("/apps/ordered/buildpacks")).isEmpty();
    }

    @Test
    void anInvalidReferenceIsRefusedByNameAndNothingIsStored() throws Exception {
        api.givenApp("strict");
        set("strict", "nodejs");

        HttpResponse<String> refused = set("strict", "static", "not a buildpack");

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(Json.mapper().readTree(refused.body()).path("detail").asText())
                .startsWith("buildpack 2 (not a buildpack) is not valid");
        assertThat(api.json("/apps/strict/buildpacks")).extracting(b -> b.path("buildpack").asText())
                .containsExactly("nodejs");
    }

    @Test
    void directoriesMustBeAbsoluteAndNoBuildpackTwice() throws Exception {
        api.givenApp("picky");

        HttpResponse<String> relative = set("picky", "./buildpacks/mine");
        HttpResponse<String> twice = set("picky", "nodejs", "nodejs");
        HttpResponse<String> unsupported = set("picky", "ftp://example.com/bp.tgz");
        HttpResponse<String> noList = api.put("/apps/picky/buildpacks", "{}");

        assertThat(relative.statusCode()).isEqualTo(422);
        assertThat(relative.body()).contains("./buildpacks/mine").contains("absolute");
        assertThat(twice.statusCode()).isEqualTo(422);
        assertThat(twice.body()).contains("listed twice");
        assertThat(unsupported.statusCode()).isEqualTo(422);
        assertThat(noList.statusCode()).isEqualTo(422);
        assertThat(api.json("/apps/picky/buildpacks")).isEmpty();
    }

    @Test
    void anUnknownAppHasNoBuildpacks() throws Exception {
        assertThat(api.get("/apps/nobody/buildpacks").statusCode()).isEqualTo(404);
        assertThat(set("nobody", "nodejs").statusCode()).isEqualTo(404);
    }

    @Test
    void anAppStoredBeforeBuildpacksExistedReadsAsDetecting() throws Exception {
        api.zk.create().forPath("/apps/legacy", "{\"name\":\"legacy\",\"formation\":{},\"release\":0}".getBytes());

        assertThat(api.json("/apps/legacy/buildpacks")).isEmpty();
        assertThat(set("legacy", "static").statusCode()).isEqualTo(200);
        assertThat(api.json("/apps/legacy/buildpacks").get(0).path("buildpack").asText()).isEqualTo("static");
    }

    private static HttpResponse<String> set(String app, String... buildpacks) throws Exception {
        return api.put("/apps/" + app + "/buildpacks",
                Json.mapper().writeValueAsString(Map.of("buildpacks", List.of(buildpacks))));
    }
}
