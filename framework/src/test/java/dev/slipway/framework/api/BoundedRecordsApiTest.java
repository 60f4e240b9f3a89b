package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.zk.Json;
import dev.slipway.zk.ZkPaths;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No sequence of requests grows an app's ZooKeeper record towards ZooKeeper's 1 MB limit: process
 * type names are Procfile names, a formation has at most 50 types of at most 100 instances, and
 * every refusal leaves the record as it was.
 */
class BoundedRecordsApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void twoHundredSixtyThreePatchesWithLongTypeNamesLeaveTheAppWritableAndItsRecordSmall() throws Exception {
        api.givenApp("victim");
        int version = api.apps.require("victim").version();

        for (int i = 0; i < 263; i++) {
            String type = "t" + i + "-" + "x".repeat(3000);

            HttpResponse<String> refused = api.patch("/apps/victim/formation/" + type, "{\"quantity\":1}");

            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(detail(refused)).startsWith("process type 't" + i + "-xxx").contains("is not a valid name");
        }
        assertThat(api.apps.require("victim").version()).isEqualTo(version);

        for (int i = 0; i < 263; i++) {
            HttpResponse<String> scaled = api.patch("/apps/victim/formation/type" + i, "{\"quantity\":100}");

            assertThat(scaled.statusCode()).as("type%d: %s", i, scaled.body()).isEqualTo(i < 50 ? 200 : 422);
            if (i >= 50) {
                assertThat(detail(scaled)).contains("already has 50 process types");
            }
        }

        assertThat(api.apps.require("victim").value().formation()).hasSize(50);
        assertThat(api.patch("/apps/victim", "{\"kill_grace_seconds\":30}").statusCode()).isEqualTo(200);
        assertThat(api.patch("/apps/victim/formation/type0", "{\"quantity\":0}").statusCode()).isEqualTo(200);
        assertThat(recordBytes("victim")).isLessThan(2_000);
    }

    @Test
    void processTypeNamesMustBeProcfileNames() throws Exception {
        api.givenApp("names");

        for (String bad : List.of("Web", "1web", "-web", "web.1", "w" + "e".repeat(30), "we b", "wéb", "web$")) {
            HttpResponse<String> refused = api.patch("/apps/names/formation/"
                    + URLEncoder.encode(bad, StandardCharsets.UTF_8).replace("+", "%20"), "{\"quantity\":1}");

            assertThat(refused.statusCode()).as(bad).isEqualTo(422);
            assertThat(detail(refused)).as(bad).contains("'" + (bad.length() > 40 ? bad.substring(0, 40) : bad));
        }
        assertThat(api.apps.require("names").value().formation()).isEmpty();
        assertThat(api.patch("/apps/names/formation/worker_2-b", "{\"quantity\":1}").statusCode()).isEqualTo(200);
        assertThat(api.patch("/apps/names/formation/w" + "e".repeat(29), "{\"quantity\":1}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void moreThanAHundredInstancesOfATypeAreRefused() throws Exception {
        api.givenApp("crowd");

        HttpResponse<String> refused = api.patch("/apps/crowd/formation/web", "{\"quantity\":101}");

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(detail(refused)).isEqualTo("quantity must be a whole number from 0 to 100");
        assertThat(api.patch("/apps/crowd/formation/web", "{\"quantity\":100}").statusCode()).isEqualTo(200);
    }

    @Test
    void buildpackListsAreBoundedInLengthAndCount() throws Exception {
        api.givenApp("packed");

        HttpResponse<String> tooLong = api.put("/apps/packed/buildpacks",
                "{\"buildpacks\":[\"https://example.com/" + "x".repeat(3000) + ".tgz\"]}");
        StringBuilder many = new StringBuilder("{\"buildpacks\":[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"https://example.com/bp").append(i).append(".tgz\"");
        }
        HttpResponse<String> tooMany = api.put("/apps/packed/buildpacks", many.append("]}").toString());

        assertThat(tooLong.statusCode()).isEqualTo(422);
        assertThat(detail(tooLong)).contains("longer than 2048 characters");
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(detail(tooMany)).isEqualTo("an app can have at most 20 buildpacks, not 21");
        assertThat(api.apps.require("packed").value().buildpacks()).isEmpty();
    }

    @Test
    void aLongAppNameIsRefusedAndNothingIsStored() throws Exception {
        HttpResponse<String> refused = api.post("/apps", "{\"name\":\"" + "a".repeat(5000) + "\"}");

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(api.apps.list()).noneMatch(app -> app.name().length() > 30);
    }

    private static int recordBytes(String app) throws Exception {
        return api.zk.checkExists().forPath(ZkPaths.app(app)).getDataLength();
    }

    private static String detail(HttpResponse<String> answer) throws Exception {
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }
}
