package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A process type's placement constraints, set with PATCH /apps/{app}/formation/{type}. */
class ConstraintsApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void constraintsAreStoredInTheColonFormAndListedWithTheFormation() throws Exception {
        api.givenApp("spread");

        HttpResponse<String> set = api.patch("/apps/spread/formation/web",
                "{\"constraints\": [\"hostname:UNIQUE\", [\"zone\", \"GROUP_BY\", \"3\"]]}");

        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(api.apps.require("spread").value().constraintsOf("web"))
                .containsExactly("hostname:UNIQUE", "zone:GROUP_BY:3");
        JsonNode web = webRow(api.get("/apps/spread/formation"));
        assertThat(web.path("constraints").toString()).isEqualTo("[\"hostname:UNIQUE\",\"zone:GROUP_BY:3\"]");
        assertThat(api.apps.require("spread").value().formation()).doesNotContainKey("web");
    }

    @Test
    void quantityAndConstraintsMayBeSetTogetherAndAnEmptyListClearsThem() throws Exception {
        api.givenApp("both");

        assertThat(api.patch("/apps/both/formation/web", "{\"quantity\": 3, \"constraints\": [\"rack:MAX_PER:2\"]}")
                .statusCode()).isEqualTo(200);
        assertThat(api.apps.require("both").value().formation()).containsEntry("web", 3);
        assertThat(api.apps.require("both").value().constraintsOf("web")).containsExactly("rack:MAX_PER:2");

        assertThat(api.patch("/apps/both/formation/web", "{\"constraints\": []}").statusCode()).isEqualTo(200);
        assertThat(api.apps.require("both").value().constraints()).isEmpty();
        assertThat(api.apps.require("both").value().formation()).containsEntry("web", 3);
    }

    @Test
    void aBadConstraintIsRefusedWith422NamingItAndNothingIsStored() throws Exception {
        api.givenApp("strict");
        api.patch("/apps/strict/formation/web", "{\"constraints\": [\"hostname:UNIQUE\"]}");
        int version = api.apps.require("strict").version();

        for (String body : List.of("[\"hostname:UNIQUE\", \"hostname:SPREAD\"]", "[\"hostname:LIKE:web[\"]",
                "[\"rack:MAX_PER:two\"]", "[\"rack id:UNIQUE\"]", "[42]", "[[\"hostname\"]]")) {
            HttpResponse<String> refused = api.patch("/apps/strict/formation/web",
                    "{\"quantity\": 2, \"constraints\": " + body + "}");

            assertThat(refused.statusCode()).as(body).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(detail(refused)).as(body).containsPattern("constraint|SPREAD");
        }
        assertThat(detail(api.patch("/apps/strict/formation/web", "{\"constraints\": [\"hostname:SPREAD\"]}")))
                .isEqualTo("constraint 'hostname:SPREAD': unknown operator 'SPREAD'; known are "
                        + "UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER");
        assertThat(api.apps.require("strict").version()).isEqualTo(version);
        assertThat(api.apps.require("strict").value().constraintsOf("web")).containsExactly("hostname:UNIQUE");
    }

    @Test
    void moreThanTenConstraintsOrOneOver200CharactersAreRefused() throws Exception {
        api.givenApp("bounded");
        String eleven = "[" + String.join(",", java.util.Collections.nCopies(11, "\"hostname:UNIQUE\"")) + "]";

        HttpResponse<String> tooMany = api.patch("/apps/bounded/formation/web", "{\"constraints\": " + eleven + "}");
        HttpResponse<String> tooLong = api.patch("/apps/bounded/formation/web",
                "{\"constraints\": [\"hostname:LIKE:" + "a".repeat(190) + "\"]}");

        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(detail(tooMany)).isEqualTo("a process type has at most 10 constraints, not 11");
        assertThat(tooLong.statusCode()).isEqualTo(422);
        assertThat(detail(tooLong)).contains("at most 200");
        assertThat(api.apps.require("bounded").value().constraints()).isEmpty();
    }

    private static JsonNode webRow(HttpResponse<String> formation) throws Exception {
        for (JsonNode row : Json.mapper().readTree(formation.body())) {
            if (row.path("type").asText().equals("web")) {
                return row;
            }
        }
        throw new AssertionError("no web row in " + formation.body());
    }

    private static String detail(HttpResponse<String> answer) throws Exception {
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }
}
