package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /apps/{app}/features} over HTTP, as Heroku's app features: {@code https-only} listed,
 * enabled and disabled in the stored app, and what the API refuses (as problem+json).
 */
class FeaturesApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void httpsOnlyIsListedDisabledThenEnabledAndDisabledInTheStoredApp() throws Exception {
        api.givenApp("switched");
        JsonNode listed = api.json("/apps/switched/features");
        assertThat(listed.findValuesAsText("name")).containsExactly("https-only");
        assertThat(listed.get(0).path("enabled").asBoolean(true)).isFalse();
        assertThat(listed.get(0).path("doc_url").asText()).contains("tls.md");

        HttpResponse<String> enabled = api.patch("/apps/switched/features/https-only", "{\"enabled\":true}");

        assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(enabled.body());
        assertThat(body.path("name").asText()).isEqualTo("https-only");
        assertThat(body.path("enabled").asBoolean()).isTrue();
        assertThat(body.path("id").asText()).matches("[0-9a-f-]{36}").isEqualTo(listed.get(0).path("id").asText());
        assertThat(api.apps.require("switched").value().httpsOnly()).isTrue();
        assertThat(api.json("/apps/switched/features/https-only").path("enabled").asBoolean()).isTrue();

        HttpResponse<String> again = api.patch("/apps/switched/features/https-only", "{\"enabled\":true}");
        HttpResponse<String> disabled = api.patch("/apps/switched/features/https-only", "{\"enabled\":false}");

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(disabled.body()).path("enabled").asBoolean(true)).isFalse();
        assertThat(api.apps.require("switched").value().httpsOnly()).isFalse();
    }

    @Test
    void anUnknownFeatureOrAppIsNotFoundAndABodyWithoutABooleanEnabledIsRefused() throws Exception {
        api.givenApp("strict");

        HttpResponse<String> unknown = api.patch("/apps/strict/features/http-only", "{\"enabled\":true}");
        HttpResponse<String> unknownRead = api.get("/apps/strict/features/sticky-sessions");
        HttpResponse<String> noApp = api.patch("/apps/nowhere/features/https-only", "{\"enabled\":true}");
        HttpResponse<String> noEnabled = api.patch("/apps/strict/features/https-only", "{}");
        HttpResponse<String> text = api.patch("/apps/strict/features/https-only", "{\"enabled\":\"yes\"}");
        HttpResponse<String> extra = api.patch("/apps/strict/features/https-only",
                "{\"enabled\":true,\"redirect\":302}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(LifecycleApiTest.detail(unknown)).contains("http-only").contains("https-only");
        assertThat(unknownRead.statusCode()).isEqualTo(404);
        assertThat(noApp.statusCode()).isEqualTo(404);
        assertThat(LifecycleApiTest.detail(noApp)).contains("nowhere");
        for (HttpResponse<String> refused : java.util.List.of(noEnabled, text, extra)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(LifecycleApiTest.detail(noEnabled)).contains("enabled");
        assertThat(api.apps.require("strict").value().httpsOnly()).isFalse();
    }

    @Test
    void anotherTeamsAppsFeaturesCanBeNeitherReadNorChanged() throws Exception {
        JsonNode made = json(send(api.request("/users").header("Content-Type", "application/json")
                .POST(body("{\"name\":\"erin\",\"admin\":false}"))), 201);
        String erin = made.path("token").asText();
        api.givenApp("guarded");

        HttpResponse<String> read = send(api.as(erin, "/apps/guarded/features").GET());
        HttpResponse<String> changed = send(api.as(erin, "/apps/guarded/features/https-only")
                .header("Content-Type", "application/json").method("PATCH", body("{\"enabled\":true}")));

        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(changed.statusCode()).isEqualTo(403);
        assertThat(changed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(LifecycleApiTest.detail(changed)).contains("guarded").contains("not yours");
        assertThat(api.apps.require("guarded").value().httpsOnly()).isFalse();
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return ApiScenario.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return Json.mapper().readTree(answer.body());
    }
}
