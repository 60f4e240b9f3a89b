package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.zk.Json;
import dev.slipway.zk.Size;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A process type's size, set with PATCH /apps/{app}/formation/{type} by name ({@code size}) or as
 * {@code cpus} and {@code memory_mb}, shown by GET /apps/{app}/formation; bad sizes and
 * formations refused with nothing stored. Agents are seen from the third test on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SizesApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    @Order(1)
    void everyTypeHasTheDefaultSizeUntilResizedByName() throws Exception {
        api.givenApp("sized");
        api.patch("/apps/sized/formation/web", "{\"quantity\": 2}");

        JsonNode before = webRow(api.get("/apps/sized/formation"));
        HttpResponse<String> resized = api.patch("/apps/sized/formation/web", "{\"size\": \"large\"}");

        assertThat(before.path("size").asText()).isEqualTo("small");
        assertThat(before.path("cpus").asDouble()).isEqualTo(0.1);
        assertThat(before.path("memory_mb").asInt()).isEqualTo(256);
        assertThat(resized.statusCode()).as(resized.body()).isEqualTo(200);
        assertThat(api.apps.require("sized").value().sizeOf("web")).isEqualTo(new Size("large", 0.5, 1024));
        JsonNode after = webRow(api.get("/apps/sized/formation"));
        assertThat(after.path("size").asText()).isEqualTo("large");
        assertThat(after.path("cpus").asDouble()).isEqualTo(0.5);
        assertThat(after.path("memory_mb").asInt()).isEqualTo(1024);
        assertThat(after.path("quantity").asInt()).as("a resize scales nothing").isEqualTo(2);
    }

    @Test
    @Order(2)
    void explicitCpusAndMemoryMakeASizeOfItsOwnAndTheOneNotGivenIsKept() throws Exception {
        api.givenApp("custom");

        assertThat(api.patch("/apps/custom/formation/worker", "{\"cpus\": 0.3, \"memory_mb\": 700}").statusCode())
                .isEqualTo(200);
        assertThat(api.apps.require("custom").value().sizeOf("worker")).isEqualTo(Size.of(0.3, 700));
        assertThat(api.patch("/apps/custom/formation/worker", "{\"memory_mb\": 900}").statusCode()).isEqualTo(200);
        assertThat(api.apps.require("custom").value().sizeOf("worker")).isEqualTo(Size.of(0.3, 900));
        assertThat(api.patch("/apps/custom/formation/worker", "{\"cpus\": 0.5, \"memory_mb\": 1024}").statusCode())
                .isEqualTo(200);
        assertThat(api.apps.require("custom").value().sizeOf("worker").name())
                .as("the numbers of a named size are that size").isEqualTo("large");

        JsonNode row = row(api.get("/apps/custom/formation"), "worker");
        assertThat(row.path("quantity").asInt()).isZero();
        assertThat(row.path("size").asText()).isEqualTo("large");
    }

    @Test
    @Order(3)
    void withNoAgentSeenYetALargeSizeIsAccepted() throws Exception {
        api.givenApp("hopeful");

        HttpResponse<String> answer = api.patch("/apps/hopeful/formation/web", "{\"cpus\": 64, \"memory_mb\": 1024}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aSizeNoAgentSeenCouldHoldIsRefusedNamingTheLargest() throws Exception {
        api.agents.saw(List.of(new Offer("o1", "agent-1", "small-host", new Resources(2, 4096, List.of())),
                new Offer("o2", "agent-2", "big-host", new Resources(8, 16384, List.of()))));
        api.givenApp("greedy");
        int version = api.apps.require("greedy").version();

        HttpResponse<String> cpus = api.patch("/apps/greedy/formation/web", "{\"cpus\": 64, \"memory_mb\": 1024}");
        HttpResponse<String> memory = api.patch("/apps/greedy/formation/web", "{\"cpus\": 1, \"memory_mb\": 65536}");
        HttpResponse<String> fits = api.patch("/apps/greedy/formation/web", "{\"size\": \"2xlarge\"}");

        assertThat(cpus.statusCode()).isEqualTo(422);
        assertThat(cpus.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(detail(cpus)).isEqualTo("size 64 cpus, 1024 MB with its executor's 0.05 cpus and 96 MB fits no "
                + "agent: no agent offers 64.05 cpus: the most any of the 2 agents seen has offered is 8 (big-host)");
        assertThat(memory.statusCode()).isEqualTo(422);
        assertThat(detail(memory)).contains("no agent offers 65632 MB of memory").contains("16384 MB (big-host)");
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
        assertThat(api.apps.require("greedy").value().sizeOf("web").name()).isEqualTo("2xlarge");
        assertThat(api.apps.require("greedy").version()).isEqualTo(version + 1);
    }

    @Test
    @Order(5)
    void aPendingInstanceOfASizeNoAgentSeenHoldsSaysSoInsteadOfWaitingForResources() throws Exception {
        api.vetoes.put("hopeful web.1", List.of("offer o3 on big-host: needs 64.05 cpus, 8 free"));

        JsonNode dyno = Json.mapper().readTree(api.get("/apps/hopeful/dynos").body()).get(0);

        assertThat(dyno.path("state").asText()).isEqualTo("pending");
        assertThat(dyno.path("message").asText()).isEqualTo("no agent offers 64.05 cpus: the most any of the 2 agents"
                + " seen has offered is 8 (big-host)");
        api.vetoes.clear();
    }

    @Test
    @Order(6)
    void badSizesAreRefusedWith422AndNothingIsStored() throws Exception {
        api.givenApp("strict");
        api.patch("/apps/strict/formation/web", "{\"size\": \"medium\"}");
        int version = api.apps.require("strict").version();

        for (String body : List.of("{\"size\": \"huge\"}", "{\"cpus\": 0}", "{\"cpus\": -1, \"memory_mb\": 512}",
                "{\"memory_mb\": 0}", "{\"memory_mb\": 10}", "{\"cpus\": 1e9}", "{\"memory_mb\": 1e12}",
                "{\"memory_mb\": 512.5}", "{\"size\": \"large\", \"cpus\": 1}", "{\"quantity\": 2, \"size\": \"huge\"}")) {
            HttpResponse<String> refused = api.patch("/apps/strict/formation/web", body);

            assertThat(refused.statusCode()).as(body + ": " + refused.body()).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(detail(api.patch("/apps/strict/formation/web", "{\"size\": \"huge\"}")))
                .isEqualTo("unknown size 'huge': the sizes are small, medium, large, xlarge, 2xlarge");
        assertThat(detail(api.patch("/apps/strict/formation/web", "{\"cpus\": 0}")))
                .isEqualTo("cpus must be from 0.01 to 1024, not 0");
        assertThat(detail(api.patch("/apps/strict/formation/web", "{\"memory_mb\": 10}")))
                .isEqualTo("memory must be from 32 to 1048576 MB, not 10");
        assertThat(api.apps.require("strict").version()).isEqualTo(version);
        assertThat(api.apps.require("strict").value().sizeOf("web").name()).isEqualTo("medium");
        assertThat(api.apps.require("strict").value().formation()).isEmpty();
    }

    @Test
    @Order(7)
    void aFormationAboveTheMaximumPerTypeIsRefusedAndNothingIsStored() throws Exception {
        api.givenApp("crowd");
        int version = api.apps.require("crowd").version();

        for (String quantity : List.of("100000", "101", "-1", "1e6")) {
            HttpResponse<String> refused = api.patch("/apps/crowd/formation/web", "{\"quantity\": " + quantity + "}");

            assertThat(refused.statusCode()).as(quantity + ": " + refused.body()).isIn(400, 422);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(detail(api.patch("/apps/crowd/formation/web", "{\"quantity\": 100000}")))
                .isEqualTo("quantity must be a whole number from 0 to 100");
        assertThat(api.apps.require("crowd").version()).isEqualTo(version);
        assertThat(api.apps.require("crowd").value().formation()).isEmpty();
    }

    private static JsonNode webRow(HttpResponse<String> formation) throws Exception {
        return row(formation, "web");
    }

    private static JsonNode row(HttpResponse<String> formation, String type) throws Exception {
        for (JsonNode row : Json.mapper().readTree(formation.body())) {
            if (row.path("type").asText().equals(type)) {
                return row;
            }
        }
        throw new AssertionError("no " + type + " row in " + formation.body());
    }

    private static String detail(HttpResponse<String> answer) throws Exception {
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }
}
