package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every release names who made it: the API user of its build, config change or rollback. */
class ReleaseUsersApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void aBuildAConfigChangeAndARollbackEachNameTheUserWhoseCallMadeThem() throws Exception {
        api.givenApp("credited");
        api.givenBuildpacks("credited", api.aBuildpack("Plain", "echo '       compiled'\n"));
        JsonNode build = api.finished("credited", api.build("credited").path("id").asText());
        assertThat(build.path("release").path("user").path("name").asText()).isEqualTo("admin");
        String carol = newUser("carol");

        HttpResponse<String> set = send(api.as(carol, "/apps/credited/config-vars")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"FOO\":\"1\"}")));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        HttpResponse<String> rollback = send(api.as(carol, "/apps/credited/releases")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"release\":\"v1\"}")));
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(201);
        assertThat(Json.mapper().readTree(rollback.body()).path("user").path("name").asText()).isEqualTo("carol");

        assertThat(users(api.json("/apps/credited/releases"))).containsExactly("admin", "carol", "carol");
        assertThat(api.json("/apps/credited/releases/2").path("user").path("name").asText()).isEqualTo("carol");
        assertThat(api.releases.get("credited", 3).orElseThrow().user()).isEqualTo("carol");
    }

    @Test
    void aReleaseThatNamesNoUserShowsNone() throws Exception {
        api.givenApp("anonymous");
        api.releases.publish(api.apps.require("anonymous"), new Release(1, "0123abcd", 1, Map.of("web", "./serve"),
                "Deploy 0123abcd", Instant.now()));

        JsonNode release = api.json("/apps/anonymous/releases/1");

        assertThat(release.has("user")).isTrue();
        assertThat(release.path("user").isNull()).isTrue();
    }

    private static List<String> users(JsonNode releases) {
        List<String> users = new ArrayList<>();
        releases.forEach(r -> users.add(r.path("user").path("name").asText()));
        return users;
    }

    private static String newUser(String name) throws Exception {
        HttpResponse<String> made = send(api.request("/users").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"admin\":true}")));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return Json.mapper().readTree(made.body()).path("token").asText();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return ApiScenario.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
