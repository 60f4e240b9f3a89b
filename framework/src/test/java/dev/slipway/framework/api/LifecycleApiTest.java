package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.App;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ps:restart} over HTTP: what it stores, and what it refuses. */
class LifecycleApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void restartingEveryDynoRaisesEachProcessTypesGeneration() throws Exception {
        givenReleased("everyone", Map.of("web", 2, "worker", 1));

        HttpResponse<String> answer = delete("/apps/everyone/dynos");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(Json.mapper().readTree(answer.body()).path("restarting").toString())
                .isEqualTo("[\"web\",\"worker\"]");
        App app = api.apps.require("everyone").value();
        assertThat(app.restartOf("web", 1)).isEqualTo(1);
        assertThat(app.restartOf("web", 2)).isEqualTo(1);
        assertThat(app.restartOf("worker", 1)).isEqualTo(1);
    }

    @Test
    void restartingOneSlotOrOneTypeRaisesOnlyThatOne() throws Exception {
        givenReleased("some", Map.of("web", 2, "worker", 1));

        assertThat(delete("/apps/some/dynos/web.2").statusCode()).isEqualTo(202);
        assertThat(delete("/apps/some/formation/worker/dynos").statusCode()).isEqualTo(202);
        assertThat(delete("/apps/some/dynos/worker").statusCode()).isEqualTo(202);

        App app = api.apps.require("some").value();
        assertThat(app.restartOf("web", 1)).isZero();
        assertThat(app.restartOf("web", 2)).isEqualTo(1);
        assertThat(app.restartOf("worker", 1)).isEqualTo(2);
    }

    @Test
    void aRestartOfAnUnknownTypeOrSlotIsNotFoundAndChangesNothing() throws Exception {
        givenReleased("few", Map.of("web", 2));

        HttpResponse<String> type = delete("/apps/few/dynos/clock");
        HttpResponse<String> slot = delete("/apps/few/dynos/web.3");

        assertThat(type.statusCode()).isEqualTo(404);
        assertThat(detail(type)).contains("no process type 'clock'").contains("it has: web");
        assertThat(slot.statusCode()).isEqualTo(404);
        assertThat(detail(slot)).contains("no dyno 'web.3'").contains("web.1 to web.2");
        assertThat(delete("/apps/nowhere/dynos").statusCode()).isEqualTo(404);
        assertThat(api.apps.require("few").value().restarts()).isEmpty();
    }

    @Test
    void anAppWithNoReleaseHasNothingToRestart() throws Exception {
        api.givenApp("unreleased");

        HttpResponse<String> answer = delete("/apps/unreleased/dynos");

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(detail(answer)).contains("no release yet").contains("deploy it first");
    }

    @Test
    void restartNeedsATokenAndAnAppOfTheCallersTeam() throws Exception {
        givenReleased("guarded", Map.of("web", 1));
        JsonNode user = Json.mapper().readTree(send(api.request("/users").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"mallory\",\"admin\":false}"))).body());

        assertThat(send(api.anonymous("/apps/guarded/dynos").DELETE()).statusCode()).isEqualTo(401);
        assertThat(send(api.as(user.path("token").asText(), "/apps/guarded/dynos").DELETE()).statusCode())
                .isEqualTo(403);
        assertThat(api.apps.require("guarded").value().restarts()).isEmpty();
    }

    private static void givenReleased(String name, Map<String, Integer> formation) throws Exception {
        api.givenApp(name);
        var app = api.apps.require(name);
        app = api.apps.update(app.value().withFormation(formation), app.version());
        Map<String, String> types = new java.util.TreeMap<>();
        formation.keySet().forEach(type -> types.put(type, "run-" + type));
        api.releases.publish(app, new Release(1, "sha256:" + "0".repeat(64), 1, types, "Deploy", Instant.now()));
    }

    static HttpResponse<String> delete(String path) throws Exception {
        return send(api.request(path).DELETE());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return ApiScenario.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String detail(HttpResponse<String> answer) throws Exception {
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }
}
