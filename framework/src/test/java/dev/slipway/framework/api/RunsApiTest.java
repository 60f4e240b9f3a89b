package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.deploy.OneOff;
import dev.slipway.framework.schedule.OneOffDesk;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import dev.slipway.zk.Size;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One-off dynos through the API ({@code slipway run}): {@code POST /apps/{app}/dynos} asks the
 * scheduler's desk for one and answers it, bad input is refused naming the field, the output
 * stream sends every line and then the exit code, {@code DELETE} stops it, and {@code GET /dynos}
 * lists it with its exit code. The scheduler's side is {@code CoreOneOffTest}'s; here its desk
 * answers as the scheduler does.
 */
class RunsApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();
    static final List<OneOff> asked = new CopyOnWriteArrayList<>();
    static final List<String> stopped = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void givenADeployedAppAndADesk() throws Exception {
        api.givenApp("hello");
        var app = api.apps.require("hello");
        api.releases.publish(app, new Release(1, "sha256:" + "0".repeat(64), 1, Map.of("web", "./web"), "Deploy",
                Instant.now()));
        api.givenApp("empty");
        api.oneOffs = new OneOffDesk() {
            @Override
            public CompletableFuture<OneOff> run(String app, String command, Map<String, String> env, Size size,
                                                 long ttl) {
                OneOff oneOff = new OneOff(app, 4821, command, 1, env, size, ttl, Instant.now());
                asked.add(oneOff);
                return CompletableFuture.completedFuture(oneOff);
            }

            @Override
            public CompletableFuture<Boolean> stop(String app, String name) {
                stopped.add(app + " " + name);
                return CompletableFuture.completedFuture(name.equals("run.4821"));
            }

            @Override
            public boolean pending(String app, String name) {
                return false;
            }
        };
    }

    @Test
    void aOneOffIsAskedForAndAnsweredAsHerokusDyno() throws Exception {
        HttpResponse<String> created = api.post("/apps/hello/dynos",
                "{\"command\": \"echo hi; exit 3\", \"env\": {\"FOO\": \"bar\"}, \"time_to_live\": 60, \"attach\": true}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = Json.mapper().readTree(created.body());
        assertThat(body.path("name").asText()).isEqualTo("run.4821");
        assertThat(body.path("type").asText()).isEqualTo("run");
        assertThat(body.path("state").asText()).isEqualTo("starting");
        assertThat(body.path("command").asText()).isEqualTo("echo hi; exit 3");
        assertThat(body.path("release").asInt()).isEqualTo(1);
        assertThat(body.path("time_to_live").asLong()).isEqualTo(60);
        assertThat(body.path("attach_url").asText()).isEqualTo("/apps/hello/dynos/run.4821/output");
        assertThat(asked).last().satisfies(o -> {
            assertThat(o.env()).containsEntry("FOO", "bar");
            assertThat(o.timeToLiveSeconds()).isEqualTo(60);
        });
    }

    @Test
    void badInputIsRefusedNamingTheField() throws Exception {
        assertProblem(api.post("/apps/hello/dynos", "{}"), 422, "command");
        assertProblem(api.post("/apps/hello/dynos", "{\"command\": \"  \"}"), 422, "command");
        assertProblem(api.post("/apps/hello/dynos", "{\"command\": \"true\", \"env\": {\"1FOO\": \"x\"}}"), 422,
                "env: '1FOO'");
        assertProblem(api.post("/apps/hello/dynos", "{\"command\": \"true\", \"time_to_live\": 0}"), 422,
                "time_to_live");
        assertProblem(api.post("/apps/hello/dynos", "{\"command\": \"true\", \"size\": \"huge\"}"), 422,
                "unknown size 'huge'");
        assertProblem(api.post("/apps/nope/dynos", "{\"command\": \"true\"}"), 404, "nope");
        assertProblem(api.post("/apps/empty/dynos", "{\"command\": \"true\"}"), 409, "has no release yet");
    }

    @Test
    void theOutputStreamSendsEveryLineThenTheExitCodeAndEnds() throws Exception {
        InstanceStore instances = new InstanceStore(api.zk);
        Instance running = new Instance("hello.run.4821.v1.a", "hello", "run", 4821, 1, InstanceState.RUNNING,
                "agent-1", "127.0.0.1", 31000, false, "running", Instant.now());
        instances.put(running);
        api.parts.logs().append("hello", List.of("2026-12-07T12:00:00.000000+00:00 app[run.4821]: first"));
        api.parts.logs().append("hello", List.of("2026-12-07T12:00:00.000000+00:00 app[web.1]: not this one"));

        try (SseClient output = SseClient.open(api.base.resolve("/apps/hello/dynos/run.4821/output"),
                Map.of("Authorization", "Bearer " + api.adminToken))) {
            output.await(messages -> messages.size() == 1);
            api.parts.logs().append("hello", List.of("2026-12-07T12:00:01.000000+00:00 app[run.4821]: last"));
            instances.put(running.with(InstanceState.FAILED, false, "exited with code 3", Instant.now()));

            List<SseClient.Message> messages = output.await(m -> m.stream().anyMatch(x -> "exit".equals(x.event())));

            assertThat(messages).extracting(SseClient.Message::data).containsExactly("first", "last",
                    "{\"exit_code\":3,\"state\":\"crashed\",\"message\":\"exited with code 3\"}");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> output.ended);
        }
        // An ended one-off is history: `ps --all` shows it, `ps` does not.
        assertThat(api.json("/apps/hello/dynos").findValues("name").stream().map(JsonNode::asText))
                .doesNotContain("run.4821");
        JsonNode listed = api.json("/apps/hello/dynos?all=true");
        assertThat(listed.findValues("name").stream().map(JsonNode::asText)).contains("run.4821");
        for (JsonNode dyno : listed) {
            if (dyno.path("name").asText().equals("run.4821")) {
                assertThat(dyno.path("type").asText()).isEqualTo("run");
                assertThat(dyno.path("exit_code").asInt()).isEqualTo(3);
            }
        }
        assertThat(api.get("/apps/hello/dynos/run.9999/output").statusCode()).isEqualTo(404);
    }

    @Test
    void deleteStopsAOneOffAndSays404ForOneThatDoesNotRun() throws Exception {
        HttpResponse<String> stop = ApiScenario.HTTP.send(api.request("/apps/hello/dynos/run.4821").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
        assertThat(Json.mapper().readTree(stop.body()).path("stopping").asText()).isEqualTo("run.4821");
        assertThat(stopped).contains("hello run.4821");

        HttpResponse<String> none = ApiScenario.HTTP.send(api.request("/apps/hello/dynos/run.1234").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(none, 404, "no one-off dyno 'run.1234'");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Json.mapper().readTree(response.body()).path("detail").asText()).contains(detail);
    }
}
