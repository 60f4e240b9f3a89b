package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.App;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ps:restart}, {@code ps:stop} and {@code apps:destroy} over HTTP: what it stores, and what it refuses. */
class LifecycleApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void restartingEveryDynoRaisesEachProcessTypesGeneration() throws Exception {
        givenReleased("everyone", Map.of("web", 2, "worker", 1));

        HttpResponse<String> answer = delete("/apps/everyone/dynos");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(Json.mapper().readTree(answer.body()).path("restarting").toString())
                .isEqualTo("[\"web\",\"worker\"]");
        App app = api.apps.require("everyone").value();
        assertThat(app.restartOf("web", 1)).isEqualTo(1);
        assertThat(app.restartOf("web", 2)).isEqualTo(1);
        assertThat(app.restartOf("worker", 1)).isEqualTo(1);
    }

    @Test
    void restartingOneSlotOrOneTypeRaisesOnlyThatOne() throws Exception {
        givenReleased("some", Map.of("web", 2, "worker", 1));

        assertThat(delete("/apps/some/dynos/web.2").statusCode()).isEqualTo(202);
        assertThat(delete("/apps/some/formation/worker/dynos").statusCode()).isEqualTo(202);
        assertThat(delete("/apps/some/dynos/worker").statusCode()).isEqualTo(202);

        App app = api.apps.require("some").value();
        assertThat(app.restartOf("web", 1)).isZero();
        assertThat(app.restartOf("web", 2)).isEqualTo(1);
        assertThat(app.restartOf("worker", 1)).isEqualTo(2);
    }

    @Test
    void aRestartOfAnUnknownTypeOrSlotIsNotFoundAndChangesNothing() throws Exception {
        givenReleased("few", Map.of("web", 2));

        HttpResponse<String> type = delete("/apps/few/dynos/clock");
        HttpResponse<String> slot = delete("/apps/few/dynos/web.3");

        assertThat(type.statusCode()).isEqualTo(404);
        assertThat(detail(type)).contains("no process type 'clock'").contains("it has: web");
        assertThat(slot.statusCode()).isEqualTo(404);
        assertThat(detail(slot)).contains("no dyno 'web.3'").contains("web.1 to web.2");
        assertThat(delete("/apps/nowhere/dynos").statusCode()).isEqualTo(404);
        assertThat(api.apps.require("few").value().restarts()).isEmpty();
    }

    @Test
    void anAppWithNoReleaseHasNothingToRestart() throws Exception {
        api.givenApp("unreleased");

        HttpResponse<String> answer = delete("/apps/unreleased/dynos");

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(detail(answer)).contains("no release yet").contains("deploy it first");
    }

    @Test
    void restartNeedsATokenAndAnAppOfTheCallersTeam() throws Exception {
        givenReleased("guarded", Map.of("web", 1));
        JsonNode user = Json.mapper().readTree(send(api.request("/users").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"mallory\",\"admin\":false}"))).body());

        assertThat(send(api.anonymous("/apps/guarded/dynos").DELETE()).statusCode()).isEqualTo(401);
        assertThat(send(api.as(user.path("token").asText(), "/apps/guarded/dynos").DELETE()).statusCode())
                .isEqualTo(403);
        assertThat(api.apps.require("guarded").value().restarts()).isEmpty();
    }

    @Test
    void stoppingASlotRaisesItsGenerationAndMarksItToStopAtOnce() throws Exception {
        givenReleased("stoppable", Map.of("web", 2, "worker", 1));

        HttpResponse<String> answer = stop("/apps/stoppable/dynos/web.2/actions/stop");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(Json.mapper().readTree(answer.body()).path("restarting").toString()).isEqualTo("[\"web.2\"]");
        App app = api.apps.require("stoppable").value();
        assertThat(app.restartOf("web", 2)).isEqualTo(1);
        assertThat(app.stopOf("web", 2)).isEqualTo(1);
        assertThat(app.stopOf("web", 1)).isZero();
        assertThat(stop("/apps/stoppable/dynos/worker/actions/stop").statusCode()).isEqualTo(202);
        assertThat(api.apps.require("stoppable").value().stopOf("worker", 1)).isEqualTo(1);
    }

    @Test
    void aStopOfAnUnknownSlotOrOfAnAppWithNoReleaseIsRefusedAndChangesNothing() throws Exception {
        givenReleased("tiny", Map.of("web", 1));
        api.givenApp("blank");

        HttpResponse<String> slot = stop("/apps/tiny/dynos/web.2/actions/stop");
        HttpResponse<String> blank = stop("/apps/blank/dynos/web.1/actions/stop");

        assertThat(slot.statusCode()).isEqualTo(404);
        assertThat(detail(slot)).contains("no dyno 'web.2'");
        assertThat(blank.statusCode()).isEqualTo(409);
        assertThat(stop("/apps/nowhere/dynos/web.1/actions/stop").statusCode()).isEqualTo(404);
        assertThat(send(api.anonymous("/apps/tiny/dynos/web.1/actions/stop").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(401);
        assertThat(api.apps.require("tiny").value().stops()).isEmpty();
    }

    @Test
    void destroyLeavesNothingOfTheAppInZooKeeperOrOnDiskAndTheNameCanBeCreatedAgain() throws Exception {
        api.givenApp("doomed");
        api.givenBuildpacks("doomed", api.aBuildpack("Doomed", "echo cached > \"$2/cache-file\"\n"));
        String id = api.build("doomed").path("id").asText();
        assertThat(api.finished("doomed", id).path("status").asText()).isEqualTo("succeeded");
        Release release = api.releases.get("doomed", 1).orElseThrow();
        new dev.slipway.framework.git.Repositories(api.parts.gitRepositories(),
                dev.slipway.framework.git.GitSettings.DEFAULT).openOrCreate("doomed").close();
        api.apps.crashes().put("doomed", new dev.slipway.zk.CrashBackoff("web", 1, 1, 1, Instant.now(), null, "x"));
        api.apps.routes().put(new dev.slipway.zk.Route("doomed", List.of("doomed.localhost"), List.of()));
        assertThat(api.post("/apps/doomed/domains", "{\"hostname\":\"www.doomed.example\"}").statusCode())
                .isEqualTo(201);
        assertThat(api.post("/apps/doomed/domains", "{\"hostname\":\"*.doomed.example\"}").statusCode())
                .isEqualTo(201);
        assertThat(inZooKeeper("doomed")).as("its domains are claimed").contains("/domains/www.doomed.example");
        assertThat(onDisk("doomed")).as("the build left files").isNotEmpty();
        assertThat(api.parts.slugs().path(release.slug())).isPresent();

        HttpResponse<String> answer = delete("/apps/doomed");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(inZooKeeper("doomed")).isEmpty();
        assertThat(onDisk("doomed")).isEmpty();
        assertThat(api.parts.slugs().path(release.slug())).as("its slug").isEmpty();
        assertThat(api.get("/apps/doomed").statusCode()).isEqualTo(404);

        api.givenApp("doomed");
        assertThat(api.json("/apps/doomed/releases")).isEmpty();
        assertThat(api.json("/apps/doomed/builds")).isEmpty();
        assertThat(api.json("/apps/doomed/domains").findValuesAsText("hostname")).containsExactly("doomed.localhost");
        assertThat(api.post("/apps/doomed/domains", "{\"hostname\":\"www.doomed.example\"}").statusCode())
                .as("its domain is free again").isEqualTo(201);
        assertThat(api.get("/apps/doomed/logs").body()).doesNotContain("Build");
        assertThat(new dev.slipway.framework.git.Repositories(api.parts.gitRepositories(),
                dev.slipway.framework.git.GitSettings.DEFAULT).open("doomed")).isEmpty();
    }

    @Test
    void aSlugAnotherAppsReleaseUsesIsKept() throws Exception {
        api.givenApp("sharer");
        api.givenBuildpacks("sharer", api.aBuildpack("Sharer", "echo shared\n"));
        String id = api.build("sharer").path("id").asText();
        api.finished("sharer", id);
        Release built = api.releases.get("sharer", 1).orElseThrow();
        api.givenApp("keeper");
        api.releases.publish(api.apps.require("keeper"), new Release(1, built.slug(), built.slugSize(),
                Map.of("web", "./serve"), "Deploy", Instant.now()));

        assertThat(delete("/apps/sharer").statusCode()).isEqualTo(200);

        assertThat(api.parts.slugs().path(built.slug())).isPresent();
    }

    @Test
    void destroyingAnAppWhileItBuildsCancelsTheBuild() throws Exception {
        api.givenApp("busy");
        api.givenBuildpacks("busy", api.aBuildpackThatWaitsFor(api.dir.resolve("never"), "-----> Waiting"));
        api.build("busy");

        HttpResponse<String> answer = delete("/apps/busy");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(inZooKeeper("busy")).isEmpty();
        assertThat(onDisk("busy")).isEmpty();
    }

    @Test
    void destroyNeedsATokenAndTheCallersOwnAppAndAnUnknownAppIsNotFound() throws Exception {
        api.givenApp("kept");
        JsonNode user = Json.mapper().readTree(send(api.request("/users").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"eve\",\"admin\":false}"))).body());

        assertThat(send(api.anonymous("/apps/kept").DELETE()).statusCode()).isEqualTo(401);
        HttpResponse<String> foreign = send(api.as(user.path("token").asText(), "/apps/kept").DELETE());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(detail(foreign)).contains("kept");
        HttpResponse<String> unknown = delete("/apps/ghost");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(detail(unknown)).contains("app 'ghost' does not exist");
        assertThat(api.get("/apps/kept").statusCode()).isEqualTo(200);
    }

    @Test
    void aNameIsNotTakenAgainWhileTheDestroyedAppsInstancesStillStop() throws Exception {
        new dev.slipway.zk.InstanceStore(api.zk).put(new dev.slipway.zk.Instance("stopping.web.1.v1.x", "stopping",
                "web", 1, 1, dev.slipway.zk.InstanceState.KILLING, "agent", "127.0.0.1", 31000, false, "", Instant.now()));

        HttpResponse<String> created = api.post("/apps", "{\"name\":\"stopping\"}");

        assertThat(created.statusCode()).isEqualTo(409);
        assertThat(detail(created)).contains("being destroyed");
    }

    /** Every ZooKeeper node that names the app: under /apps/APP, /routes/APP, its tasks and its domains' claims. */
    private static List<String> inZooKeeper(String app) throws Exception {
        List<String> found = new ArrayList<>();
        for (String root : List.of(dev.slipway.zk.ZkPaths.app(app), dev.slipway.zk.ZkPaths.route(app))) {
            if (api.zk.checkExists().forPath(root) != null) {
                found.add(root);
            }
        }
        if (api.zk.checkExists().forPath(dev.slipway.zk.ZkPaths.TASKS) != null) {
            api.zk.getChildren().forPath(dev.slipway.zk.ZkPaths.TASKS).stream()
                    .filter(task -> task.startsWith(app + ".")).forEach(found::add);
        }
        if (api.zk.checkExists().forPath(dev.slipway.zk.ZkPaths.DOMAINS) != null) {
            for (String hostname : api.zk.getChildren().forPath(dev.slipway.zk.ZkPaths.DOMAINS)) {
                String claim = dev.slipway.zk.ZkPaths.domain(hostname);
                if (Json.mapper().readTree(api.zk.getData().forPath(claim)).path("app").asText().equals(app)) {
                    found.add(claim);
                }
            }
        }
        return found;
    }

    /** Every file or folder in the data directory whose path names the app. */
    private static List<Path> onDisk(String app) throws Exception {
        try (var walk = Files.walk(api.dir)) {
            return walk.filter(p -> api.dir.relativize(p).toString().matches("(.*/)?" + app + "(\\.git)?(/.*)?"))
                    .toList();
        }
    }

    private static void givenReleased(String name, Map<String, Integer> formation) throws Exception {
        api.givenApp(name);
        var app = api.apps.require(name);
        app = api.apps.update(app.value().withFormation(formation), app.version());
        Map<String, String> types = new java.util.TreeMap<>();
        formation.keySet().forEach(type -> types.put(type, "run-" + type));
        api.releases.publish(app, new Release(1, "sha256:" + "0".repeat(64), 1, types, "Deploy", Instant.now()));
    }

    static HttpResponse<String> stop(String path) throws Exception {
        return send(api.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    static HttpResponse<String> delete(String path) throws Exception {
        return send(api.request(path).DELETE());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return ApiScenario.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String detail(HttpResponse<String> answer) throws Exception {
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }
}
