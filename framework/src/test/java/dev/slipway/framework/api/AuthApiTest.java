package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.slug.Slug;
import dev.slipway.slug.SlugStore;
import dev.slipway.zk.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who may call the API, over real HTTP: tokens, users, teams, signed downloads and tasks' log credentials. */
class AuthApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void aCallWithoutATokenIs401WithABearerChallenge() throws Exception {
        HttpResponse<String> answer = send(api.anonymous("/apps").GET());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"slipway\"");
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(detail(answer)).contains("slipway login");
    }

    @Test
    void malformedAndUnknownTokensAre401AndNeverQuoted() throws Exception {
        String unknown = "slw_0123456789abcdef_" + "A".repeat(43);
        for (String token : List.of("nonsense", unknown, api.adminToken + "x")) {
            HttpResponse<String> answer = send(api.as(token, "/apps").GET());

            assertThat(answer.statusCode()).as(token).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(token).get().asString()
                    .contains("invalid_token");
            assertThat(answer.body()).doesNotContain(token);
        }
        assertThat(send(api.anonymous("/apps").header("Authorization", "Bearer " + api.adminToken.substring(0, 30))
                .GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnce() throws Exception {
        JsonNode made = json(send(api.request("/tokens").header("Content-Type", "application/json")
                .POST(body("{\"description\":\"short-lived\"}"))), 201);
        String token = made.path("token").asText();
        assertThat(token).startsWith("slw_" + made.path("id").asText() + "_");
        assertThat(send(api.as(token, "/account").GET()).statusCode()).isEqualTo(200);
        assertThat(json(send(api.request("/tokens").GET()), 200).findValuesAsText("id"))
                .contains(made.path("id").asText());
        assertThat(json(send(api.request("/tokens").GET()), 200).toString()).doesNotContain(token);

        assertThat(send(api.request("/tokens/" + made.path("id").asText()).DELETE()).statusCode()).isEqualTo(200);

        assertThat(send(api.as(token, "/account").GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenInTheUrlIsRefusedWhateverElseTheCallCarries() throws Exception {
        for (String query : List.of("?token=" + api.adminToken, "?access_token=x", "?lines=1&TOKEN=y")) {
            HttpResponse<String> answer = send(api.request("/apps" + query).GET());

            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(detail(answer)).contains("Authorization header");
            assertThat(answer.body()).doesNotContain(api.adminToken);
        }
    }

    @Test
    void theTokenIsTakenAsTheBasicPasswordAndGitPathsChallengeForBasic() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("anyone:" + api.adminToken)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(send(api.anonymous("/account").header("Authorization", "Basic " + basic).GET()).statusCode())
                .isEqualTo(200);

        HttpResponse<String> git = send(api.anonymous("/git/hello.git/info/refs?service=git-receive-pack").GET());
        assertThat(git.statusCode()).isEqualTo(401);
        assertThat(git.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"slipway\"");
    }

    @Test
    void healthIsPublic() throws Exception {
        assertThat(send(api.anonymous("/health").GET()).statusCode()).isIn(200, 503);
    }

    @Test
    void usersSeeAndChangeOnlyTheirTeamsAppsAndAdminsSeeAll() throws Exception {
        String alice = newUser("alice", false);
        String bob = newUser("bob", false);
        assertThat(json(send(api.as(alice, "/account").GET()), 200).path("name").asText()).isEqualTo("alice");
        json(send(api.as(alice, "/teams").header("Content-Type", "application/json")
                .POST(body("{\"name\":\"blue\"}"))), 201);
        JsonNode app = json(send(api.as(alice, "/apps").header("Content-Type", "application/json")
                .POST(body("{\"name\":\"alices-app\"}"))), 201);
        assertThat(app.path("team").path("name").asText()).isEqualTo("blue");
        api.givenApp("admins-app");

        assertThat(names(json(send(api.as(alice, "/apps").GET()), 200))).containsExactly("alices-app");
        assertThat(names(json(send(api.as(bob, "/apps").GET()), 200))).isEmpty();
        assertThat(names(json(send(api.request("/apps").GET()), 200)))
                .contains("alices-app", "admins-app");
        for (String path : List.of("/apps/alices-app", "/apps/alices-app/builds", "/apps/alices-app/logs",
                "/apps/alices-app/dynos", "/apps/alices-app/releases", "/apps/alices-app/formation")) {
            HttpResponse<String> read = send(api.as(bob, path).GET());
            assertThat(read.statusCode()).as(path).isEqualTo(403);
            assertThat(detail(read)).as(path).contains("alices-app").contains("not yours");
        }
        assertThat(send(api.as(bob, "/apps/alices-app/formation/web").header("Content-Type", "application/json")
                .method("PATCH", body("{\"quantity\":3}"))).statusCode()).isEqualTo(403);
        assertThat(send(api.as(bob, "/apps/alices-app/builds").header("Content-Type", "application/gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ApiScenario.aSource()))).statusCode()).isEqualTo(403);
        assertThat(send(api.as(alice, "/apps/admins-app").GET()).statusCode()).isEqualTo(403);
        assertThat(api.apps.require("alices-app").value().formation()).doesNotContainKey("web");

        json(send(api.as(alice, "/teams/blue/members").header("Content-Type", "application/json")
                .POST(body("{\"user\":\"bob\"}"))), 200);
        assertThat(send(api.as(bob, "/apps/alices-app").GET()).statusCode()).isEqualTo(200);
        assertThat(json(send(api.as(bob, "/teams").GET()), 200).findValuesAsText("name")).containsExactly("blue");

        json(send(api.as(alice, "/teams/blue/members/bob").DELETE()), 200);
        assertThat(send(api.as(bob, "/apps/alices-app").GET()).statusCode()).isEqualTo(403);
    }

    @Test
    void onlyAdminsAddAndListUsers() throws Exception {
        String carol = newUser("carol", false);

        HttpResponse<String> refused = send(api.as(carol, "/users").header("Content-Type", "application/json")
                .POST(body("{\"name\":\"mallory\",\"admin\":true}")));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(detail(refused)).contains("only admins");
        assertThat(send(api.as(carol, "/users").GET()).statusCode()).isEqualTo(403);
        assertThat(json(send(api.request("/users").GET()), 200).findValuesAsText("name")).contains("admin", "carol")
                .doesNotContain("mallory");
        assertThat(json(send(api.request("/users").GET()), 200).toString()).doesNotContain("slw_");
    }

    @Test
    void anAppOfNoTeamOrOfSeveralIsRefusedNamingTheTeam() throws Exception {
        String dave = newUser("dave", false);
        HttpResponse<String> noTeam = send(api.as(dave, "/apps").header("Content-Type", "application/json")
                .POST(body("{\"name\":\"daves-app\"}")));
        assertThat(noTeam.statusCode()).isEqualTo(422);
        assertThat(detail(noTeam)).startsWith("team:");

        HttpResponse<String> unknown = send(api.request("/apps").header("Content-Type", "application/json")
                .POST(body("{\"name\":\"daves-app\",\"team\":\"nowhere\"}")));
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(detail(unknown)).contains("team").contains("nowhere");
        assertThat(api.apps.get("daves-app")).isEmpty();
    }

    @Test
    void slugsAreServedOnlyAtAValidUnexpiredSignedUrl() throws Exception {
        Slug slug = new SlugStore(api.dir.resolve("data")).write(out -> out.write(new byte[10]));
        String path = "/slugs/" + slug.digest() + ".tgz";
        String signed = api.signer.signedPath(path, Instant.now());

        assertThat(send(api.anonymous(signed).GET()).statusCode()).isEqualTo(200);
        assertThat(send(api.anonymous(path).GET()).statusCode()).isEqualTo(401);
        assertThat(send(api.request(path).GET()).statusCode()).as("a user's token is no signature").isEqualTo(401);
        assertThat(send(api.anonymous(api.signer.signedPath(path, Instant.now().minusSeconds(3 * 3600))).GET())
                .statusCode()).isEqualTo(403);
        String tampered = signed.replace("expires=", "expires=9");
        assertThat(send(api.anonymous(tampered).GET()).statusCode()).isEqualTo(403);
        String otherPath = api.signer.signedPath("/slugs/" + "0".repeat(64) + ".tgz", Instant.now());
        assertThat(send(api.anonymous(path + otherPath.substring(otherPath.indexOf('?'))).GET()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void logLinesTakeOnlyTheCredentialOfATaskOfThatApp() throws Exception {
        api.givenApp("shipper");
        String otherApp = api.signer.taskCredential("intruder.web.1.v1.0000abcd");

        assertThat(ship("shipper", null).statusCode()).isEqualTo(401);
        assertThat(ship("shipper", api.adminToken).statusCode()).isEqualTo(403);
        assertThat(ship("shipper", otherApp).statusCode()).isEqualTo(403);
        assertThat(ship("shipper", otherApp.substring(0, otherApp.length() - 2) + "xx").statusCode()).isEqualTo(401);
        assertThat(ship("shipper", api.signer.taskCredential("shipper.web.1.v1.0000abcd")).statusCode())
                .isEqualTo(204);
        assertThat(send(api.request("/apps/shipper/logs").GET()).body()).contains("from a task")
                .doesNotContain("forged");
    }

    // --- scenario

    private HttpResponse<String> ship(String app, String credential) throws Exception {
        HttpRequest.Builder request = api.anonymous("/apps/" + app + "/log-lines")
                .header("Content-Type", "application/x-slipway-log-lines; charset=utf-8");
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        String line = credential != null && credential.startsWith("slwtask.shipper.") ? "from a task" : "forged";
        return send(request.POST(body("2026-01-02T03:04:05.123456+00:00 app[web.1]: " + line + "\n")));
    }

    /** A new user, made by the admin; answers its first token. */
    private static String newUser(String name, boolean admin) throws Exception {
        JsonNode made = json(send(api.request("/users").header("Content-Type", "application/json")
                .POST(body("{\"name\":\"" + name + "\",\"admin\":" + admin + "}"))), 201);
        assertThat(made.path("name").asText()).isEqualTo(name);
        return made.path("token").asText();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new java.util.ArrayList<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names;
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

    private static String detail(HttpResponse<String> answer) throws Exception {
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }
}
