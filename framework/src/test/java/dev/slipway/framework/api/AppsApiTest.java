package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An app's settings through the REST API ({@code PATCH /apps/{app}}): its kill grace set, shown
 * and reset, and every bad request refused before anything is written.
 */
class AppsApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void anAppShowsTheFrameworksKillGraceUntilItSetsItsOwn() throws Exception {
        api.givenApp("plain");

        JsonNode app = api.json("/apps/plain");

        assertThat(app.path("kill_grace_seconds").asInt()).isEqualTo(10);
        assertThat(app.path("kill_grace_default").asBoolean()).isTrue();
        assertThat(listed("plain").path("kill_grace_seconds").asInt()).isEqualTo(10);
    }

    @Test
    void aKillGraceIsSetShownAndResetToTheDefault() throws Exception {
        api.givenApp("patient");

        HttpResponse<String> set = setGrace("patient", "30");

        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode answered = Json.mapper().readTree(set.body());
        assertThat(answered.path("name").asText()).isEqualTo("patient");
        assertThat(answered.path("kill_grace_seconds").asInt()).isEqualTo(30);
        assertThat(answered.path("kill_grace_default").asBoolean()).isFalse();
        assertThat(api.json("/apps/patient")).isEqualTo(answered);
        assertThat(listed("patient").path("kill_grace_seconds").asInt()).isEqualTo(30);
        assertThat(api.apps.require("patient").value().killGraceSeconds()).isEqualTo(30);

        HttpResponse<String> reset = setGrace("patient", "null");

        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(reset.body()).path("kill_grace_seconds").asInt()).isEqualTo(10);
        assertThat(api.json("/apps/patient").path("kill_grace_default").asBoolean()).isTrue();
        assertThat(api.apps.require("patient").value().killGraceSeconds()).isNull();
    }

    @Test
    void theBoundsOfOneAndThreeHundredSecondsAreAllowed() throws Exception {
        api.givenApp("bounds");

        assertThat(setGrace("bounds", "1").statusCode()).isEqualTo(200);
        assertThat(api.apps.require("bounds").value().killGraceSeconds()).isEqualTo(1);
        assertThat(setGrace("bounds", "300").statusCode()).isEqualTo(200);
        assertThat(api.apps.require("bounds").value().killGraceSeconds()).isEqualTo(300);
    }

    @Test
    void aKillGraceOutsideOneToThreeHundredWholeSecondsIsRefusedAndNothingIsWritten() throws Exception {
        api.givenApp("strict");
        setGrace("strict", "30");
        int version = api.apps.require("strict").version();

        for (String bad : List.of("0", "301", "-5", "30.5", "\"30\"", "true", "10000000000", "{}")) {
            HttpResponse<String> refused = setGrace("strict", bad);

            assertThat(refused.statusCode()).as(bad).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).as(bad).contains("application/problem+json");
            assertThat(Json.mapper().readTree(refused.body()).path("detail").asText()).as(bad)
                    .startsWith("kill_grace_seconds must be a whole number of seconds from 1 to 300, or null for "
                            + "the default (10)");
        }
        assertThat(api.apps.require("strict").version()).isEqualTo(version);
        assertThat(api.apps.require("strict").value().killGraceSeconds()).isEqualTo(30);
    }

    @Test
    void aBodyThatIsNotAnUpdateIsRefusedAndNothingIsWritten() throws Exception {
        api.givenApp("careful");
        int version = api.apps.require("careful").version();

        HttpResponse<String> notJson = api.patch("/apps/careful", "kill_grace_seconds=30");
        HttpResponse<String> empty = api.patch("/apps/careful", "");
        HttpResponse<String> notAnObject = api.patch("/apps/careful", "[30]");
        HttpResponse<String> nothing = api.patch("/apps/careful", "{}");
        HttpResponse<String> unknown = api.patch("/apps/careful", "{\"kill_grace_seconds\": 30, \"name\": \"other\"}");

        assertThat(notJson.statusCode()).isEqualTo(422);
        assertThat(notJson.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(notAnObject.statusCode()).isEqualTo(422);
        assertThat(nothing.statusCode()).isEqualTo(422);
        assertThat(nothing.body()).contains("nothing to change");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("cannot change name");
        assertThat(api.apps.require("careful").version()).isEqualTo(version);
        assertThat(api.apps.require("careful").value().killGraceSeconds()).isNull();
    }

    @Test
    void anUnknownAppCannotBeUpdated() throws Exception {
        HttpResponse<String> unknown = setGrace("nobody", "30");
        HttpResponse<String> impossible = setGrace("Not_An_App", "30");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(unknown.body()).path("detail").asText())
                .isEqualTo("app 'nobody' does not exist");
        assertThat(impossible.statusCode()).isEqualTo(404);
        assertThat(api.apps.get("nobody")).isEmpty();
    }

    @Test
    void anAppStoredBeforeKillGracesExistedShowsTheDefaultAndCanSetOne() throws Exception {
        api.zk.create().forPath("/apps/veteran", "{\"name\":\"veteran\",\"formation\":{},\"release\":0}".getBytes());

        assertThat(api.json("/apps/veteran").path("kill_grace_seconds").asInt()).isEqualTo(10);
        assertThat(setGrace("veteran", "60").statusCode()).isEqualTo(200);
        assertThat(api.json("/apps/veteran").path("kill_grace_seconds").asInt()).isEqualTo(60);
    }

    private static HttpResponse<String> setGrace(String app, String json) throws Exception {
        return api.patch("/apps/" + app, "{\"kill_grace_seconds\": " + json + "}");
    }

    private static JsonNode listed(String app) throws Exception {
        for (JsonNode each : api.json("/apps")) {
            if (each.path("name").asText().equals(app)) {
                return each;
            }
        }
        throw new AssertionError("app " + app + " is not listed");
    }
}
