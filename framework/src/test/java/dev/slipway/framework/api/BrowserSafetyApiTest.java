package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.api.ApiScenario.Raw;
import dev.slipway.zk.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a web page the developer visits can make their browser send to the API, over raw HTTP on
 * loopback: cross-origin "simple" requests, DNS-rebound host names, form bodies and preflights are
 * refused before anything is read or written; the API's own clients and the allowed origin are not.
 */
class BrowserSafetyApiTest {
    private static final String DASHBOARD = "http://dashboard.example:3000";

    @RegisterExtension
    static final ApiScenario api = new ApiScenario(new ApiAccess(List.of(DASHBOARD + "/"), List.of("Slipway.Internal")));

    @Test
    void aCrossOriginTextPlainPostCreatesNoApp() throws Exception {
        Raw refused = api.raw("POST", "/apps", headers("Host", api.host(), "Origin", "http://evil.example",
                "Content-Type", "text/plain"), "{\"name\":\"pwned\"}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(detail(refused)).contains("http://evil.example");
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
        assertThat(api.apps.get("pwned")).isEmpty();
    }

    @Test
    void aCrossOriginJsonPostIsRefusedToo() throws Exception {
        Raw refused = api.raw("POST", "/apps", headers("Host", api.host(), "Origin", "https://evil.example",
                "Content-Type", "application/json"), "{\"name\":\"pwned-json\"}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(api.apps.get("pwned-json")).isEmpty();
    }

    @Test
    void pagesOfOpaqueOriginsAreRefused() throws Exception {
        Raw refused = api.raw("GET", "/apps", headers("Host", api.host(), "Origin", "null"), "");

        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void bodiesAFormCanSendAreRefusedOnEveryStateChangingCall() throws Exception {
        api.givenApp("formed");
        int version = api.apps.require("formed").version();
        List<String> simpleTypes = List.of("text/plain", "text/plain; charset=utf-8", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", "");
        Map<String, String> calls = new LinkedHashMap<>();
        calls.put("POST /apps", "{\"name\":\"formed-too\"}");
        calls.put("PATCH /apps/formed", "{\"kill_grace_seconds\":30}");
        calls.put("PATCH /apps/formed/formation/web", "{\"quantity\":3}");
        calls.put("PUT /apps/formed/buildpacks", "{\"buildpacks\":[]}");
        calls.put("POST /apps/formed/builds", "not a tarball");
        calls.put("POST /apps/formed/log-lines", "app[web.1]: forged line");

        for (String type : simpleTypes) {
            for (Map.Entry<String, String> call : calls.entrySet()) {
                String[] request = call.getKey().split(" ");
                Map<String, String> headers = headers("Host", api.host());
                if (!type.isEmpty()) {
                    headers.put("Content-Type", type);
                }

                Raw refused = api.raw(request[0], request[1], headers, call.getValue());

                assertThat(refused.status()).as(call.getKey() + " as " + type).isEqualTo(415);
                assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            }
        }
        assertThat(api.apps.get("formed-too")).isEmpty();
        assertThat(api.apps.require("formed").version()).isEqualTo(version);
        assertThat(api.apps.builds().list("formed")).isEmpty();
        assertThat(api.get("/apps/formed/logs").body()).doesNotContain("forged line");
    }

    @Test
    void theTextPlainLogLinesOfOldExecutorsAreRefusedAndTheirOwnTypeAccepted() throws Exception {
        api.givenApp("shipping");

        Raw old = api.raw("POST", "/apps/shipping/log-lines", headers("Host", api.host(),
                "Content-Type", "text/plain; charset=utf-8"), "app[web.1]: old\n");
        Raw shipped = api.raw("POST", "/apps/shipping/log-lines", headers("Host", api.host(),
                "Content-Type", "application/x-slipway-log-lines; charset=utf-8"), "app[web.1]: new\n");

        assertThat(old.status()).isEqualTo(415);
        assertThat(detail(old)).contains("application/x-slipway-log-lines");
        assertThat(shipped.status()).isEqualTo(204);
        assertThat(api.get("/apps/shipping/logs").body()).contains("app[web.1]: new").doesNotContain("old");
    }

    @Test
    void aDnsReboundHostNameIsRefused() throws Exception {
        for (String method : List.of("GET", "POST")) {
            Raw refused = api.raw(method, "/apps", headers("Host", "evil.example:" + api.api.port(),
                    "Content-Type", "application/json"), method.equals("POST") ? "{\"name\":\"rebound\"}" : "");

            assertThat(refused.status()).as(method).isEqualTo(421);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(detail(refused)).contains("evil.example");
        }
        assertThat(api.apps.get("rebound")).isEmpty();
    }

    @Test
    void aRequestWithoutAHostIsRefused() throws Exception {
        Raw refused = api.raw("POST", "/apps", headers("Content-Type", "application/json"), "{\"name\":\"hostless\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(api.apps.get("hostless")).isEmpty();
    }

    @Test
    void theNamesTheApiIsServedUnderAreAccepted() throws Exception {
        int port = api.api.port();
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LocalHost", "[::1]:" + port,
                "slipway.internal:" + port)) {
            assertThat(api.raw("GET", "/apps", headers("Host", host), "").status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void theApisOwnOriginIsAccepted() throws Exception {
        Raw created = api.raw("POST", "/apps", headers("Host", api.host(), "Origin", "http://" + api.host(),
                "Content-Type", "application/json"), "{\"name\":\"same-origin\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void anAllowedOriginIsAcceptedAndToldItMayReadTheAnswer() throws Exception {
        Raw created = api.raw("POST", "/apps", headers("Host", api.host(), "Origin", DASHBOARD,
                "Content-Type", "application/json"), "{\"name\":\"from-dashboard\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo(DASHBOARD);
        assertThat(created.header("Vary")).isEqualTo("Origin");
        assertThat(api.apps.get("from-dashboard")).isPresent();
    }

    @Test
    void aPreflightGetsNoPermissiveAnswer() throws Exception {
        Raw refused = api.raw("OPTIONS", "/apps", headers("Host", api.host(), "Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"), "");
        Raw allowed = api.raw("OPTIONS", "/apps", headers("Host", api.host(), "Origin", DASHBOARD,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"), "");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));
        assertThat(allowed.status()).isEqualTo(204);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(DASHBOARD);
    }

    @Test
    void theClisRequestsAreAccepted() throws Exception {
        // As cli's ApiClient sends them: JSON with Accept, sources as application/gzip, no Origin.
        HttpResponse<String> created = ApiScenario.HTTP.send(api.request("/apps")
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"by-cli\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> scaled = api.patch("/apps/by-cli/formation/web", "{\"quantity\":2}");
        HttpResponse<String> uploaded = api.upload("by-cli", ApiScenario.aSource());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        api.finished("by-cli", Json.mapper().readTree(uploaded.body()).path("id").asText());
    }

    @Test
    void whatAgentsFetchIsServedUnderTheListenAddress() throws Exception {
        Raw jar = api.raw("HEAD", api.signer.signedPath("/executor/slipway-executor.jar", java.time.Instant.now()),
                headers("Host", api.host()), "");

        assertThat(jar.status()).isEqualTo(200);
    }

    private static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static String detail(Raw answer) throws Exception {
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }
}
