package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.auth.Signer;
import dev.slipway.zk.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routers' lines about requests through the REST API: {@code POST /router-log-lines}, as each app's {@code slipway[router]}. */
class RouterLogLinesApiTest {
    private static final String T = "2026-01-02T03:04:05.123456+00:00";

    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void aBatchOfSeveralAppsGoesIntoEachAppsLogAsSlipwayRouterAndAnUnknownAppsLinesAreDropped() throws Exception {
        api.givenApp("north");
        api.givenApp("south");

        HttpResponse<String> posted = post(api.signer.routerCredential("local"), """
                north %1$s at=info method=GET path="/" host=north.localhost status=200
                nobody %1$s at=info method=GET path="/" host=nobody.localhost status=404
                south %1$s at=error code=H12 desc="Request timeout" method=GET path="/slow"
                north %1$s at=info method=POST path="/form" status=201
                """.formatted(T));

        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(204);
        assertThat(api.get("/apps/north/logs").body()).isEqualTo(
                T + " slipway[router]: at=info method=GET path=\"/\" host=north.localhost status=200\n"
                        + T + " slipway[router]: at=info method=POST path=\"/form\" status=201\n");
        assertThat(api.get("/apps/south/logs").body()).isEqualTo(
                T + " slipway[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\"\n");
        assertThat(api.get("/apps/nobody/logs").statusCode()).isEqualTo(404);
    }

    @Test
    void sourceRouterShowsOnlyTheRoutersLinesWhichAreSlipwaysToo() throws Exception {
        api.givenApp("mixed");
        HttpResponse<String> shipped = ApiScenario.HTTP.send(api.request("/apps/mixed/log-lines")
                .header("Content-Type", "application/x-slipway-log-lines; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(T + " app[web.1]: GET / 200\n"
                        + T + " app[router]: pretending\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(shipped.statusCode()).isEqualTo(204);
        assertThat(post(api.signer.routerCredential("edge-1"), "mixed " + T + " at=info status=200\n").statusCode())
                .isEqualTo(204);

        assertThat(api.get("/apps/mixed/logs?source=router").body())
                .isEqualTo(T + " slipway[router]: at=info status=200\n");
        assertThat(api.get("/apps/mixed/logs?source=slipway").body()).contains("slipway[router]: at=info status=200")
                .doesNotContain("app[");
        assertThat(api.get("/apps/mixed/logs?source=app").body()).doesNotContain("slipway[router]");
    }

    @Test
    void aLineWhoseTimestampCannotBeReadIsKeptWholeStampedOnArrival() throws Exception {
        api.givenApp("stamped");

        assertThat(post(api.signer.routerCredential("local"), "stamped yesterday at=info status=200\n")
                .statusCode()).isEqualTo(204);

        assertThat(api.get("/apps/stamped/logs").body())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 slipway\\[router\\]: "
                        + "yesterday at=info status=200\n");
    }

    @Test
    void onlyARoutersCredentialMayPostRouterLines() throws Exception {
        api.givenApp("guarded");
        String router = api.signer.routerCredential("local");
        String task = api.signer.taskCredential("guarded.web.1.v1.0000abcd");
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 7);
        String otherKeys = new Signer(otherKey).routerCredential("local");

        assertThat(post(null, line()).statusCode()).isEqualTo(401);
        assertThat(post(api.adminToken, line()).statusCode()).isEqualTo(403);
        assertThat(post(task, line()).statusCode()).isEqualTo(403);
        assertThat(post(router.substring(0, router.length() - 2) + "xx", line()).statusCode()).isEqualTo(401);
        assertThat(post(otherKeys, line()).statusCode()).isEqualTo(401);
        assertThat(post("slwrouter.other." + router.substring(router.lastIndexOf('.') + 1), line()).statusCode())
                .isEqualTo(401);
        HttpResponse<String> refused = post(router.substring(0, router.length() - 2) + "xx", line());
        assertThat(refused.body()).doesNotContain(router.substring(0, 20));
        assertThat(api.get("/apps/guarded/logs").body()).isEmpty();

        assertThat(post(router, "guarded " + T + " from the router\n").statusCode()).isEqualTo(204);
        assertThat(api.get("/apps/guarded/logs").body()).isEqualTo(T + " slipway[router]: from the router\n");
    }

    @Test
    void anAdminMintsARoutersCredentialAndNoOneElseMay() throws Exception {
        api.givenApp("minted");
        HttpResponse<String> user = api.post("/users", "{\"name\":\"carol\",\"admin\":false}");
        assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
        String carol = Json.mapper().readTree(user.body()).path("token").asText();

        HttpResponse<String> minted = api.post("/router-credentials", "{\"router\":\"edge-2\"}");
        HttpResponse<String> byUser = ApiScenario.HTTP.send(api.as(carol, "/router-credentials")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"router\":\"edge-3\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> badName = api.post("/router-credentials", "{\"router\":\"Edge.1\"}");

        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
        JsonNode body = Json.mapper().readTree(minted.body());
        assertThat(body.path("router").asText()).isEqualTo("edge-2");
        assertThat(api.signer.routerOf(body.path("token").asText())).hasValue("edge-2");
        assertThat(post(body.path("token").asText(), "minted " + T + " from edge-2\n").statusCode()).isEqualTo(204);
        assertThat(byUser.statusCode()).isEqualTo(403);
        assertThat(byUser.body()).doesNotContain("slwrouter.");
        assertThat(badName.statusCode()).isEqualTo(422);
    }

    @Test
    void anyOtherContentTypeIs415() throws Exception {
        HttpResponse<String> answer = ApiScenario.HTTP.send(api.anonymous("/router-log-lines")
                .header("Authorization", "Bearer " + api.signer.routerCredential("local"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(line())).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(415);
    }

    // --- scenario

    private static String line() {
        return "guarded " + T + " forged\n";
    }

    private static HttpResponse<String> post(String credential, String body) throws Exception {
        HttpRequest.Builder request = api.anonymous("/router-log-lines")
                .header("Content-Type", "application/x-slipway-router-log-lines; charset=utf-8");
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return ApiScenario.HTTP.send(request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
