package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.events.Event;
import dev.slipway.framework.events.EventLog;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.zk.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Config vars over the API: {@code GET/PATCH /apps/{app}/config-vars}, the releases a change makes,
 * rollbacks, and that values are shown by no other record of the API (not by an app's releases,
 * builds, dynos or formation, and never in another app's), no log line and no event.
 */
class ConfigVarsApiTest {
    private static final String SECRET = "s3cr3t-planted-value-7f1e";
    private static final String ALPHA_SECRET = "alpha-s3cret-6d1f";
    private static final String BETA_SECRET = "beta-s3cret-90ac";

    @RegisterExtension
    static final ApiScenario api = new ApiScenario();
    static final SlipwayLogs LOGS = new SlipwayLogs();

    @BeforeAll
    static void watchTheLogs() {
        LOGS.start();
    }

    /** The secret planted by every test reached no log line and no event. */
    @AfterAll
    static void theSecretReachedNoLogLineAndNoEvent() {
        List<ILoggingEvent> lines = LOGS.stop();
        assertThat(lines).isNotEmpty();
        for (ILoggingEvent event : lines) {
            assertThat(event.getFormattedMessage()).doesNotContain(SECRET);
            assertThat(String.valueOf(event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage())).doesNotContain(SECRET);
        }
        // An id of no term: every event kept comes back.
        EventLog.Resume all = api.parts.events().subscribe("none-0", event -> { });
        all.cancel().run();
        assertThat(all.backlog()).extracting(Event::type).contains(EventTypes.RELEASE_CREATED);
        assertThat(all.backlog()).extracting(Event::json).noneMatch(json -> json.contains(SECRET));
    }

    @Test
    void noResponseShowsAConfigVarValueOfItsOwnAppOrAnother() throws Exception {
        for (String[] app : new String[][] {{"alpha", ALPHA_SECRET}, {"beta", BETA_SECRET}}) {
            api.givenApp(app[0]);
            api.givenBuildpacks(app[0], api.aBuildpackReleasingTheSecret(app[1]));
            api.finished(app[0], api.build(app[0]).path("id").asText());
            assertThat(api.releases.get(app[0], 1).orElseThrow().configVars()).containsEntry("SECRET", app[1]);
        }

        for (String app : List.of("alpha", "beta")) {
            String build = api.json("/apps/" + app + "/builds").get(0).path("id").asText();
            for (String path : List.of("/apps", "/apps/" + app, "/apps/" + app + "/releases", "/apps/" + app + "/dynos",
                    "/apps/" + app + "/formation", "/apps/" + app + "/builds", "/apps/" + app + "/builds/" + build,
                    "/apps/" + app + "/buildpacks", "/apps/" + app + "/releases/v1", "/health")) {
                HttpResponse<String> answer = api.get(path);

                assertThat(answer.statusCode()).as(path).isIn(200, 503);
                assertThat(answer.body()).as(path).doesNotContain(ALPHA_SECRET).doesNotContain(BETA_SECRET);
            }
            assertThat(api.json("/apps/" + app + "/releases").get(0).path("config_var_names").toString())
                    .isEqualTo("[\"SECRET\"]");
        }
        Path output = api.buildOutput();
        try (var files = Files.walk(output)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isNotEmpty();
        }
    }

    @Test
    void configSetBeforeTheFirstReleaseReachesTheBuildpacksEnvDirAndTheFirstRelease() throws Exception {
        api.givenApp("early");
        patch("early", "{\"DATABASE_URL\":\"" + SECRET + "\",\"FOO\":\"bar\"}", 200);
        assertThat(api.releases.list("early")).isEmpty();
        Path bp = api.aBuildpack("EnvReader", "[ \"$(cat \"$3/DATABASE_URL\")\" = '" + SECRET + "' ] || exit 7\n"
                + "echo \"       env: $(ls \"$3\" | tr '\\n' ' ')\"\n");
        api.givenBuildpacks("early", bp);

        JsonNode build = api.finished("early", api.build("early").path("id").asText());

        assertThat(build.path("status").asText()).as(build.toString()).isEqualTo("succeeded");
        JsonNode release = api.json("/apps/early/releases/v1");
        assertThat(names(release)).containsExactly("DATABASE_URL", "FOO", "GREETING");
        assertThat(release.toString()).doesNotContain(SECRET);
        assertThat(api.releases.get("early", 1).orElseThrow().environment())
                .containsEntry("DATABASE_URL", SECRET).containsEntry("GREETING", "hello from the buildpack");
        assertThat(Files.readString(api.buildOutput().resolve("early").resolve(build.path("id").asText() + ".log")))
                .contains("env: DATABASE_URL FOO").doesNotContain(SECRET);
    }

    @Test
    void settingAndUnsettingVarsMakesNewReleasesOfTheSameSlugWithNamesOnlyInTheListing() throws Exception {
        String slug = released("setter");

        JsonNode config = patch("setter", "{\"DATABASE_URL\":\"" + SECRET + "\",\"FOO\":\"1\"}", 200);
        assertThat(config.path("DATABASE_URL").asText()).isEqualTo(SECRET);
        JsonNode v2 = api.json("/apps/setter/releases/2");
        assertThat(v2.path("description").asText()).isEqualTo("Set DATABASE_URL, FOO");
        assertThat(v2.path("slug").path("id").asText()).isEqualTo(slug);
        patch("setter", "{\"FOO\":null}", 200);
        JsonNode v3 = api.json("/apps/setter/releases/v3");

        assertThat(v3.path("description").asText()).isEqualTo("Unset FOO");
        assertThat(names(v3)).containsExactly("DATABASE_URL", "GREETING");
        assertThat(api.json("/apps/setter/config-vars")).isEqualTo(Json.mapper().readTree(
                "{\"DATABASE_URL\":\"" + SECRET + "\"}"));
        assertThat(api.get("/apps/setter/releases").body()).doesNotContain(SECRET);
        assertThat(api.json("/apps/setter").path("release").asInt()).isEqualTo(3);
    }

    @Test
    void theAppsOwnVarWinsOverTheBuildpacksDefault() throws Exception {
        released("overrider");
        patch("overrider", "{\"GREETING\":\"mine\"}", 200);
        assertThat(api.releases.get("overrider", 2).orElseThrow().environment()).containsEntry("GREETING", "mine");
    }

    @Test
    void rollbackMakesANewReleaseWithTheOldSlugAndConfig() throws Exception {
        String slug = released("roller");
        patch("roller", "{\"FOO\":\"old\"}", 200);
        HttpResponse<String> other = api.upload("roller", ApiScenario.aSourceSaying("something else"));
        JsonNode v3 = api.finished("roller", Json.mapper().readTree(other.body()).path("id").asText());
        String newSlug = v3.path("release").path("slug").path("id").asText();
        patch("roller", "{\"FOO\":\"new\",\"BAR\":\"x\"}", 200);
        assertThat(newSlug).isNotEqualTo(slug);

        HttpResponse<String> rolled = api.post("/apps/roller/releases", "{\"release\":\"v2\"}");

        assertThat(rolled.statusCode()).as(rolled.body()).isEqualTo(201);
        JsonNode v5 = Json.mapper().readTree(rolled.body());
        assertThat(v5.path("version").asInt()).isEqualTo(5);
        assertThat(v5.path("description").asText()).isEqualTo("Rollback to v2");
        assertThat(v5.path("slug").path("id").asText()).isEqualTo(slug);
        assertThat(api.json("/apps/roller/config-vars")).isEqualTo(Json.mapper().readTree("{\"FOO\":\"old\"}"));
        assertThat(api.json("/apps/roller").path("release").asInt()).isEqualTo(5);
        HttpResponse<String> byNumber = api.post("/apps/roller/releases", "{\"release\":1}");
        assertThat(byNumber.statusCode()).as(byNumber.body()).isEqualTo(201);
        assertThat(api.json("/apps/roller/config-vars").size()).isZero();
        HttpResponse<String> bySlug = api.post("/apps/roller/releases", "{\"slug\":\"" + newSlug + "\"}");
        assertThat(bySlug.statusCode()).as(bySlug.body()).isEqualTo(201);
        assertThat(Json.mapper().readTree(bySlug.body()).path("slug").path("id").asText()).isEqualTo(newSlug);
    }

    @Test
    void rollbackToAReleaseThatDoesNotExistIsRefusedAndNothingIsWritten() throws Exception {
        released("nowhere");
        assertThat(problem(api.post("/apps/nowhere/releases", "{\"release\":\"v9\"}"), 422))
                .contains("no release v9").contains("latest is v1");
        assertThat(problem(api.post("/apps/nowhere/releases", "{\"release\":\"latest\"}"), 422)).contains("v3");
        assertThat(problem(api.post("/apps/nowhere/releases", "{}"), 422)).contains("either");
        assertThat(problem(api.post("/apps/nowhere/releases", "{\"slug\":\"" + "0".repeat(64) + "\"}"), 422))
                .contains("no kept release");
        assertThat(api.get("/apps/nowhere/releases/v7").statusCode()).isEqualTo(404);
        assertThat(api.releases.list("nowhere")).hasSize(1);
    }

    @Test
    void badNamesAndValuesAreRefusedNamingTheVarAndNothingIsWritten() throws Exception {
        released("strict");
        patch("strict", "{\"KEEP\":\"me\"}", 200);
        assertThat(problem(api.patch("/apps/strict/config-vars", "{\"1FOO\":\"x\",\"OK\":\"y\"}"), 422))
                .contains("'1FOO'");
        assertThat(problem(api.patch("/apps/strict/config-vars", "{\"A=B\":\"x\"}"), 422)).contains("'A=B'");
        assertThat(problem(api.patch("/apps/strict/config-vars", "{\"\":\"x\"}"), 422)).contains("empty");
        assertThat(problem(api.patch("/apps/strict/config-vars", "{\"N\":3}"), 422)).contains("N").contains("string");
        String big = "x".repeat(32 * 1024 + 1);
        String bigProblem = problem(api.patch("/apps/strict/config-vars", "{\"BIG\":\"" + big + "\"}"), 422);
        assertThat(bigProblem).contains("BIG").contains("32 KB").doesNotContain("xxxx");
        String third = "y".repeat(30 * 1024);
        patch("strict", "{\"A\":\"" + third + "\",\"B\":\"" + third + "\"}", 200);
        assertThat(problem(api.patch("/apps/strict/config-vars", "{\"C\":\"" + third + "\"}"), 422))
                .contains("64 KB");

        JsonNode config = api.json("/apps/strict/config-vars");
        assertThat(config.path("KEEP").asText()).isEqualTo("me");
        assertThat(config.has("C")).isFalse();
        assertThat(api.releases.list("strict")).hasSize(3);
    }

    @Test
    void concurrentChangesNeverLoseAnUpdate() throws Exception {
        released("racy");
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(ApiScenario.HTTP.sendAsync(api.request("/apps/racy/config-vars")
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"V" + i + "\":\"" + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<String> applied = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            HttpResponse<String> answer = sent.get(i).get();
            assertThat(answer.statusCode()).as(answer.body()).isIn(200, 409);
            if (answer.statusCode() == 200) {
                applied.add("V" + i);
            } else {
                assertThat(answer.body()).contains("retry");
            }
        }
        JsonNode config = api.json("/apps/racy/config-vars");
        List<String> stored = new ArrayList<>();
        config.fieldNames().forEachRemaining(stored::add);
        assertThat(stored).containsExactlyInAnyOrderElementsOf(applied);
        assertThat(api.releases.list("racy")).hasSize(1 + applied.size());
    }

    @Test
    void anotherTeamsConfigIsNeitherShownNorChanged() throws Exception {
        released("guarded");
        patch("guarded", "{\"TOKEN\":\"" + SECRET + "\"}", 200);
        HttpResponse<String> user = api.post("/users", "{\"name\":\"mallory\",\"admin\":false}");
        String token = Json.mapper().readTree(user.body()).path("token").asText();

        HttpResponse<String> read = ApiScenario.HTTP.send(api.as(token, "/apps/guarded/config-vars").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> write = ApiScenario.HTTP.send(api.as(token, "/apps/guarded/config-vars")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"TOKEN\":\"stolen\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> rollback = ApiScenario.HTTP.send(api.as(token, "/apps/guarded/releases")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"release\":\"v1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> anonymous = ApiScenario.HTTP.send(api.anonymous("/apps/guarded/config-vars").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(read.body()).doesNotContain(SECRET);
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(rollback.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(api.json("/apps/guarded/config-vars").path("TOKEN").asText()).isEqualTo(SECRET);
    }

    // --- helpers

    /** Creates the app and builds its first release; returns its slug. */
    private static String released(String app) throws Exception {
        api.givenApp(app);
        api.givenBuildpacks(app, api.aBuildpack("Plain", "echo '       compiled'\n"));
        JsonNode build = api.finished(app, api.build(app).path("id").asText());
        assertThat(build.path("status").asText()).as(build.toString()).isEqualTo("succeeded");
        return build.path("release").path("slug").path("id").asText();
    }

    private static JsonNode patch(String app, String body, int status) throws Exception {
        HttpResponse<String> answer = api.patch("/apps/" + app + "/config-vars", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return Json.mapper().readTree(answer.body());
    }

    private static String problem(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }

    private static List<String> names(JsonNode release) {
        List<String> names = new ArrayList<>();
        release.path("config_var_names").forEach(name -> names.add(name.asText()));
        return names;
    }

}
