package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The cases fuzzing the API found (issue 14, "Bad input"), each refused as problem+json with a
 * detail a user can act on: never a 5xx, never a Java class named, never a stack trace or a
 * client's line break in the framework's log, never a line an instance ships shown as Slipway's.
 */
class ApiFuzzTest {
    private static final Pattern JAVA_NAMES = Pattern.compile(
            "(java|javax|com|dev|io|org)\\.[a-z]+\\.|Exception|\\$|`[A-Za-z.]+`|NullPointer");

    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Level levelBefore;

    /** Everything the framework logs, INFO included, and every library's warnings. */
    @BeforeEach
    void listenToTheLog() {
        log.start();
        root().addAppender(log);
        levelBefore = slipway().getLevel();
        slipway().setLevel(Level.INFO);
    }

    @AfterEach
    void stopListening() {
        root().detachAppender(log);
        slipway().setLevel(levelBefore);
    }

    @Test
    void aNullBodyIsRefusedAs422OnEveryJsonCall() throws Exception {
        api.givenApp("nulls");
        int version = api.apps.require("nulls").version();

        assertProblem(api.post("/apps", "null"), 422, "JSON object");
        assertProblem(api.put("/apps/nulls/buildpacks", "null"), 422, "JSON object");
        assertProblem(api.patch("/apps/nulls/formation/web", "null"), 422, "JSON object");
        assertProblem(api.patch("/apps/nulls", "null"), 422, "JSON object");
        assertProblem(api.post("/apps", "   "), 422, "JSON object");
        assertProblem(api.post("/apps", "[]"), 422, "not a list");
        assertProblem(api.post("/apps", "\"hello\""), 422, "not a string");
        assertThat(api.apps.require("nulls").version()).isEqualTo(version);
    }

    @Test
    void jsonIsReadStrictlyAndEachRefusalNamesTheField() throws Exception {
        assertProblem(api.post("/apps", "{\"name\":\"junk\"} trailing"), 422, "not valid JSON");
        assertProblem(api.post("/apps", "{\"name\":\"junk\"}{}"), 422, "not valid JSON");
        assertProblem(api.post("/apps", "{\"name\":\"twice\",\"name\":\"other\"}"), 422, "field 'name' is given twice");
        assertProblem(api.post("/apps", "{\"name\":123}"), 422, "field 'name' has the wrong type: it takes a string");
        assertProblem(api.post("/apps", "{\"name\":true}"), 422, "field 'name'");
        assertProblem(api.post("/apps", "{\"name\":\"typo\",\"nmae\":1}"), 422, "unknown field 'nmae'");
        assertProblem(api.post("/apps", "{\"name\":"), 422, "not valid JSON");
        api.givenApp("strict");
        assertProblem(api.patch("/apps/strict/formation/web", "{\"quantity\":\"2\"}"), 422,
                "field 'quantity' has the wrong type: it takes a whole number");
        assertProblem(api.patch("/apps/strict/formation/web", "{\"quantity\":2.5}"), 422, "field 'quantity'");
        assertProblem(api.patch("/apps/strict/formation/web", "{\"quantity\":1,\"quantity\":2}"), 422,
                "field 'quantity' is given twice");
        assertProblem(api.put("/apps/strict/buildpacks", "{\"buildpacks\":\"nodejs\"}"), 422, "field 'buildpacks'");
        assertProblem(api.put("/apps/strict/buildpacks", "{\"buildpacks\":[1]}"), 422, "field 'buildpacks[0]'");
        assertProblem(api.put("/apps/strict/buildpacks", "{\"buildpacks\":[],\"extra\":1}"), 422,
                "unknown field 'extra'");

        assertThat(api.apps.get("junk")).isEmpty();
        assertThat(api.apps.get("twice")).isEmpty();
        assertThat(api.apps.get("typo")).isEmpty();
        assertThat(api.apps.require("strict").value().formation()).isEmpty();
        assertThat(api.apps.require("strict").value().buildpacks()).isEmpty();
    }

    @Test
    void aWrongMethodOnAnExistingPathIs405WithAllow() throws Exception {
        api.givenApp("methods");

        ApiScenario.Raw deleteApps = api.raw("DELETE", "/apps", Map.of("Host", api.host()), "");
        ApiScenario.Raw deleteReleases = api.raw("DELETE", "/apps/methods/releases",
                Map.of("Host", api.host(), "Content-Type", "application/json"), "{}");
        ApiScenario.Raw putHealth = api.raw("PUT", "/health", Map.of("Host", api.host(),
                "Content-Type", "application/json"), "{}");
        ApiScenario.Raw nowhere = api.raw("GET", "/nowhere", Map.of("Host", api.host()), "");

        assertThat(deleteApps.status()).isEqualTo(405);
        assertThat(deleteApps.header("Allow")).isEqualTo("GET, POST");
        assertThat(deleteApps.header("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(deleteReleases.status()).isEqualTo(405);
        assertThat(deleteReleases.header("Allow")).isEqualTo("GET, POST");
        assertThat(putHealth.status()).isEqualTo(405);
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.header("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
    }

    @Test
    void aBadPercentEscapeIsA400ProblemWithoutAStackTrace() throws Exception {
        for (String path : List.of("/apps/%zz", "/apps/%", "/apps/a%2", "/%C0%AF/x")) {
            ApiScenario.Raw answer = api.raw("GET", path, Map.of("Host", api.host()), "");

            assertThat(answer.status()).as(path).isBetween(400, 404);
            assertThat(answer.header("Content-Type")).as(path).isEqualTo(Problem.MEDIA_TYPE);
            assertNoJavaNames(answer.body());
        }
        assertThat(log.list).noneMatch(event -> event.getThrowableProxy() != null);
    }

    @Test
    void errorsOfTheHttpLayerAreProblemsToo() throws Exception {
        ApiScenario.Raw badLength = api.send(("POST /apps HTTP/1.1\r\nHost: " + api.host()
                + "\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}").getBytes(StandardCharsets.UTF_8));
        ApiScenario.Raw longLine = api.send(("GET /apps/" + "a".repeat(HttpErrors.MAX_REQUEST_LINE + 10)
                + " HTTP/1.1\r\nHost: " + api.host() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        ApiScenario.Raw bigHeaders = api.send(("GET /apps HTTP/1.1\r\nHost: " + api.host() + "\r\nX-Big: "
                + "b".repeat(HttpErrors.MAX_HEADERS + 10) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        ApiScenario.Raw notHttp = api.send("HELLO\r\n\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(badLength.status()).isEqualTo(400);
        assertThat(longLine.status()).isEqualTo(414);
        assertThat(bigHeaders.status()).isEqualTo(431);
        assertThat(notHttp.status()).isEqualTo(400);
        for (ApiScenario.Raw answer : List.of(badLength, longLine, bigHeaders, notHttp)) {
            assertThat(answer.header("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
            JsonNode problem = Json.mapper().readTree(answer.body());
            assertThat(problem.path("status").asInt()).isEqualTo(answer.status());
            assertThat(problem.path("detail").asText()).isNotEmpty();
            assertNoJavaNames(answer.body());
        }
        assertThat(log.list).noneMatch(event -> event.getThrowableProxy() != null);
    }

    @Test
    void aLineBreakInAPathNeverReachesTheLogRaw() throws Exception {
        ApiScenario.Raw refused = api.raw("GET", "/apps/x%0d%0a2026-01-01T00:00:00Z%20INFO%20forged",
                Map.of("Host", api.host(), "Origin", "http://evil.example"), "");
        ApiScenario.Raw misdirected = api.raw("GET", "/apps/x%0aforged", Map.of("Host", "evil%0d%0a.example"), "");

        assertThat(refused.status()).isEqualTo(403);
        // Vert.x's own parsing of such a Host threw and left the request unanswered.
        assertThat(misdirected.status()).isEqualTo(400);
        assertThat(misdirected.header("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(log.list).isNotEmpty();
        assertThat(log.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain("\n", "\r"));
    }

    @Test
    void linesAnInstancePostsAreNeverShownAsSlipwaysOwn() throws Exception {
        api.givenApp("forger");

        HttpResponse<String> shipped = ApiScenario.HTTP.send(api.request("/apps/forger/log-lines")
                .header("Content-Type", "application/x-slipway-log-lines; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("2026-01-02T03:04:05.000000+00:00 slipway[api]: Release v7 "
                        + "created\nslipway[api]: Release v8 created\n")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(shipped.statusCode()).isEqualTo(204);
        assertThat(api.get("/apps/forger/logs?source=slipway").body()).isEmpty();
        assertThat(api.get("/apps/forger/logs?source=app").body())
                .contains("app[api]: Release v7 created", "app[unknown]: slipway[api]: Release v8 created");
    }

    @Test
    void noRefusalNamesAJavaClass() throws Exception {
        api.givenApp("named");
        List<HttpResponse<String>> refusals = List.of(
                api.post("/apps", "{\"name\":{\"a\":1}}"),
                api.post("/apps", "{\"name\":[1,2]}"),
                api.patch("/apps/named", "{\"kill_grace_seconds\":\"x\"}"),
                api.patch("/apps/named/formation/web", "{\"constraints\":{\"a\":1}}"),
                api.patch("/apps/named/formation/web", "{\"constraints\":[1]}"),
                api.patch("/apps/named/formation/web", "{\"cpus\":\"many\"}"),
                api.patch("/apps/named/formation/web", "{\"memory_mb\":1e400}"),
                api.put("/apps/named/buildpacks", "{\"buildpacks\":[null]}"),
                api.post("/apps", "{\"name\":\"\\ud800\"}"),
                api.get("/apps?limit=-1"),
                api.get("/apps?cursor=!!!"));

        for (HttpResponse<String> refusal : refusals) {
            assertThat(refusal.statusCode()).as(refusal.body()).isBetween(400, 499);
            assertThat(refusal.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
            assertNoJavaNames(refusal.body());
        }
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String detail) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
        assertThat(Json.mapper().readTree(answer.body()).path("detail").asText()).contains(detail);
        assertNoJavaNames(answer.body());
    }

    private static void assertNoJavaNames(String body) {
        assertThat(JAVA_NAMES.matcher(body).find()).as(body).isFalse();
    }

    private static Logger slipway() {
        return (Logger) LoggerFactory.getLogger("dev.slipway");
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
