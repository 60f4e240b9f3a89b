package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.App;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.DeploymentState;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import dev.slipway.zk.StateWrite;
import dev.slipway.zk.Versioned;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /apps/{app}/deployments} and {@code /deployments/{id}} as the scheduler stores them (a
 * good v1, a v2 rolled back, the automatic rollback v3 under way), the app's running release, the
 * releases marked, and the deploy timeout set by {@code PATCH /apps/{app}}.
 */
class DeploymentsApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();
    static final Instant T = Instant.parse("2026-12-07T12:00:00Z");

    @BeforeAll
    static void threeDeployments() throws Exception {
        api.givenApp("shipped");
        for (int v = 1; v <= 3; v++) {
            Versioned<App> app = api.apps.require("shipped");
            api.releases.publish(app, new Release(v, (v == 2 ? "b" : "a").repeat(64), 10, Map.of("web", "./web"),
                    v == 3 ? "Rollback to v1 (v2 failed: web.1 crashed: exited with code 3)" : "", T));
        }
        Deployment v1 = Deployment.begin("shipped", 0, 1, 0, false, "", 300, T).succeeded("1/1 web up", T, T);
        Deployment v2 = Deployment.begin("shipped", 1, 2, 1, false, "", 300, T)
                .ended(DeploymentState.ROLLED_BACK, "web.1 crashed: exited with code 3", T);
        Deployment v3 = Deployment.begin("shipped", 2, 3, 1, true, "Rollback to v1", 300, T);
        new StateWrite(api.zk).putDeployment(v1, false, true).putDeployment(v2, false, false)
                .putDeployment(v3, false, false).commit();
    }

    @Test
    void theDeploymentsAreListedNewestFirstInPagesById() throws Exception {
        HttpResponse<String> first = api.get("/apps/shipped/deployments?limit=2");
        String cursor = first.headers().firstValue("Next-Cursor").orElseThrow();
        HttpResponse<String> second = api.get("/apps/shipped/deployments?limit=2&cursor=" + cursor);

        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(ids(first)).containsExactly(3, 2);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(ids(second)).containsExactly(1);
        JsonNode rolledBack = Json.mapper().readTree(first.body()).get(1);
        assertThat(rolledBack.path("state").asText()).isEqualTo("rolled_back");
        assertThat(rolledBack.path("from_release").asInt()).isEqualTo(1);
        assertThat(rolledBack.path("to_release").asInt()).isEqualTo(2);
        assertThat(rolledBack.path("running_release").asInt()).isEqualTo(1);
        assertThat(rolledBack.path("reason").asText()).isEqualTo("web.1 crashed: exited with code 3");
        assertThat(rolledBack.path("steps")).hasSize(2);
    }

    @Test
    void oneDeploymentIsReadByItsReleaseNumber() throws Exception {
        JsonNode v3 = api.json("/apps/shipped/deployments/v3");

        assertThat(v3.path("state").asText()).isEqualTo("pending");
        assertThat(v3.path("automatic_rollback").asBoolean()).isTrue();
        assertThat(api.json("/apps/shipped/deployments/1").path("state").asText()).isEqualTo("succeeded");
        HttpResponse<String> missing = api.get("/apps/shipped/deployments/9");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("has no deployment 9");
        assertThat(api.get("/apps/shipped/deployments/nonsense").statusCode()).isEqualTo(404);
        assertThat(api.get("/apps/nobody/deployments").statusCode()).isEqualTo(404);
    }

    @Test
    void deploymentsNeedATokenAndAreShownOnlyToTheAppsTeam() throws Exception {
        JsonNode made = Json.mapper().readTree(api.post("/users", "{\"name\":\"mallory\",\"admin\":false}").body());
        String mallory = made.path("token").asText();

        assertThat(send(api.anonymous("/apps/shipped/deployments").GET()).statusCode()).isEqualTo(401);
        assertThat(send(api.as(mallory, "/apps/shipped/deployments").GET()).statusCode()).isEqualTo(403);
        assertThat(send(api.as(mallory, "/apps/shipped/deployments/1").GET()).statusCode()).isEqualTo(403);
    }

    @Test
    void theAppShowsItsRunningReleaseAndReleasesMarkItAndTheFailedOne() throws Exception {
        JsonNode app = api.json("/apps/shipped");
        JsonNode releases = api.json("/apps/shipped/releases");

        assertThat(app.path("release").asInt()).isEqualTo(3);
        assertThat(app.path("running_release").asInt()).isEqualTo(1);
        assertThat(releases.get(0).path("current").asBoolean()).isTrue();
        assertThat(releases.get(0).path("deployment").asText()).isEqualTo("succeeded");
        assertThat(releases.get(1).path("current").asBoolean()).isFalse();
        assertThat(releases.get(1).path("deployment").asText()).isEqualTo("rolled_back");
    }

    @Test
    void theDeployTimeoutIsSetPerAppAndBoundsAreRefusedByName() throws Exception {
        HttpResponse<String> set = api.patch("/apps/shipped", "{\"deploy_timeout_seconds\": 120}");
        HttpResponse<String> tooShort = api.patch("/apps/shipped", "{\"deploy_timeout_seconds\": 5}");

        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(set.body()).path("deploy_timeout_seconds").asInt()).isEqualTo(120);
        assertThat(api.apps.require("shipped").value().deployTimeoutSeconds()).isEqualTo(120);
        assertThat(tooShort.statusCode()).isEqualTo(422);
        assertThat(tooShort.body()).contains("deploy_timeout_seconds must be a whole number of seconds from 10 to 3600");
        HttpResponse<String> back = api.patch("/apps/shipped", "{\"deploy_timeout_seconds\": null}");
        assertThat(Json.mapper().readTree(back.body()).path("deploy_timeout_seconds").asInt()).isEqualTo(300);
        assertThat(Json.mapper().readTree(back.body()).path("deploy_timeout_default").asBoolean()).isTrue();
    }

    private static List<Integer> ids(HttpResponse<String> page) throws Exception {
        List<Integer> ids = new ArrayList<>();
        Json.mapper().readTree(page.body()).forEach(d -> ids.add(d.path("id").asInt()));
        return ids;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return ApiScenario.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
