package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /apps/{app}/domains} over HTTP, as Heroku's Platform API: what it stores, and what it refuses. */
class DomainsApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void anAddedDomainIsListedAfterTheDefaultHostnameAndStoredInLowerCase() throws Exception {
        api.givenApp("listed");

        HttpResponse<String> added = add("listed", "WWW.Listed.Example.");
        add("listed", "*.listed.example");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonNode body = Json.mapper().readTree(added.body());
        assertThat(body.path("hostname").asText()).isEqualTo("www.listed.example");
        assertThat(body.path("kind").asText()).isEqualTo("custom");
        assertThat(body.path("cname").asText()).isEqualTo("listed.localhost");
        assertThat(body.path("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(body.path("created_at").asText()).isNotEmpty();
        assertThat(body.path("app").path("name").asText()).isEqualTo("listed");
        JsonNode list = api.json("/apps/listed/domains");
        assertThat(list.findValuesAsText("hostname"))
                .containsExactly("listed.localhost", "*.listed.example", "www.listed.example");
        assertThat(list.findValuesAsText("kind")).containsExactly("default", "custom", "custom");
        assertThat(api.apps.require("listed").value().domains())
                .containsExactly("*.listed.example", "www.listed.example");
        assertThat(api.json("/apps/listed/domains/www.listed.example").path("id").asText())
                .isEqualTo(body.path("id").asText());
    }

    @Test
    void aHostnameAnotherAppHasIsAConflict() throws Exception {
        api.givenApp("holder");
        api.givenApp("taker");
        add("holder", "held.example");

        HttpResponse<String> taken = add("taker", "Held.Example");
        HttpResponse<String> twice = add("holder", "held.example");

        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(LifecycleApiTest.detail(taken)).contains("held.example").contains("another app");
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(LifecycleApiTest.detail(twice)).contains("already");
        assertThat(api.apps.require("taker").value().domains()).isEmpty();
    }

    @Test
    void twoAppsAddingTheSameHostnameAtOnceGiveItToExactlyOne() throws Exception {
        int racers = 6;
        for (int i = 0; i < racers; i++) {
            api.givenApp("rival-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CyclicBarrier start = new CyclicBarrier(racers);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String app = "rival-" + i;
                statuses.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return add(app, "contested.example").statusCode();
                }));
            }
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get(30, TimeUnit.SECONDS));
            }

            assertThat(answered).filteredOn(s -> s == 201).hasSize(1);
            assertThat(answered).filteredOn(s -> s == 409).hasSize(racers - 1);
            long owners = 0;
            for (int i = 0; i < racers; i++) {
                owners += api.apps.require("rival-" + i).value().domains().size();
            }
            assertThat(owners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidHostnamesAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        api.givenApp("picky");
        api.givenApp("neighbour");
        List<String> refused = List.of("www.example.com:8080", "http://www.example.com", "www.example.com/path",
                "-bad.example.com", "bad-.example.com", "under_score.example.com", "a..example.com", ".example.com",
                "localhost", "*.com", "www.*.example.com", "**.example.com", "*example.com", "10.0.0.1",
                "ex\u00e4mple.com", "\u212Aelvin.example.com", "www.example.com\nX-Injected: 1",
                "x".repeat(64) + ".example.com", ("a".repeat(60) + ".").repeat(5) + "com",
                " www.example.com", "neighbour.localhost", "localhost.", "*.localhost", "picky.localhost",
                "a.b.localhost", "");

        for (String hostname : refused) {
            HttpResponse<String> answer = add("picky", hostname);
            assertThat(answer.statusCode()).as(hostname + ": " + answer.body()).isEqualTo(422);
            assertThat(LifecycleApiTest.detail(answer)).as(hostname).contains("hostname");
        }
        assertThat(api.post("/apps/picky/domains", "{\"hostname\":5}").statusCode()).isEqualTo(422);
        assertThat(api.post("/apps/picky/domains", "{\"name\":\"x.example\"}").statusCode()).isEqualTo(422);
        assertThat(api.apps.require("picky").value().domains()).isEmpty();
    }

    @Test
    void namesUnderTheAppsOwnDefaultHostnameAndLongValidNamesAreAccepted() throws Exception {
        api.givenApp("roomy");

        assertThat(add("roomy", "api.roomy.localhost").statusCode()).isEqualTo(201);
        assertThat(add("roomy", "*.roomy.localhost").statusCode()).isEqualTo(201);
        String longest = ("a".repeat(62) + ".").repeat(3) + "b".repeat(56) + ".example";
        assertThat(longest).hasSize(253);
        assertThat(add("roomy", longest).statusCode()).isEqualTo(201);
        assertThat(add("roomy", "xn--bcher-kva.example").statusCode()).isEqualTo(201);
    }

    @Test
    void aRemovedDomainIsFreeForAnotherAppAndTheDefaultHostnameCannotBeRemoved() throws Exception {
        api.givenApp("leaving");
        api.givenApp("arriving");
        add("leaving", "*.moving.example");

        HttpResponse<String> removed = delete("/apps/leaving/domains/*.Moving.Example");

        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(removed.body()).path("hostname").asText()).isEqualTo("*.moving.example");
        assertThat(api.apps.require("leaving").value().domains()).isEmpty();
        assertThat(add("arriving", "*.moving.example").statusCode()).isEqualTo(201);
        assertThat(delete("/apps/leaving/domains/*.moving.example").statusCode()).isEqualTo(404);
        assertThat(delete("/apps/leaving/domains/leaving.localhost").statusCode()).isEqualTo(422);
        assertThat(api.get("/apps/leaving/domains/nothing.example").statusCode()).isEqualTo(404);
    }

    @Test
    void domainsNeedATokenAndAnAppOfTheCallersTeam() throws Exception {
        api.givenApp("guarded-domains");
        JsonNode user = Json.mapper().readTree(send(api.request("/users")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"outsider\",\"admin\":false}"))).body());
        String token = user.path("token").asText();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{\"hostname\":\"stolen.example\"}");

        assertThat(send(api.anonymous("/apps/guarded-domains/domains")
                .header("Content-Type", "application/json").POST(body)).statusCode()).isEqualTo(401);
        assertThat(send(api.as(token, "/apps/guarded-domains/domains")
                .header("Content-Type", "application/json").POST(body)).statusCode()).isEqualTo(403);
        assertThat(send(api.as(token, "/apps/guarded-domains/domains").GET()).statusCode())
                .isEqualTo(403);
        assertThat(api.apps.domains().get("stolen.example")).isEmpty();
        assertThat(api.get("/apps/ghost-app/domains").statusCode()).isEqualTo(404);
    }

    static HttpResponse<String> delete(String path) throws Exception {
        return send(api.request(path).DELETE());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return ApiScenario.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> add(String app, String hostname) throws Exception {
        return api.post("/apps/" + app + "/domains", Json.mapper().writeValueAsString(
                java.util.Map.of("hostname", hostname)));
    }
}
