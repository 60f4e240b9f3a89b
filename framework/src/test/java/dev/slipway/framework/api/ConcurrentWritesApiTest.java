package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.App;
import dev.slipway.zk.Json;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two clients changing one app at the same moment: each change is either stored or answered 409
 * (retry), never answered 200 and lost. Every write path of an app (settings, formation, its
 * constraints and sizes, buildpacks) writes the version it read.
 */
class ConcurrentWritesApiTest {
    private static final int ROUNDS = 30;

    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void twoWritersRacingOverOneAppNeverLoseAChangeAnsweredOk() throws Exception {
        api.givenApp("raced");
        ExecutorService writers = Executors.newFixedThreadPool(2);
        int conflicts = 0;
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                CountDownLatch start = new CountDownLatch(1);
                int quantity = round;
                Future<HttpResponse<String>> scale = writers.submit(() -> {
                    start.await();
                    return api.patch("/apps/raced/formation/web", "{\"quantity\":" + quantity + "}");
                });
                Future<HttpResponse<String>> grace = writers.submit(() -> {
                    start.await();
                    return api.patch("/apps/raced", "{\"kill_grace_seconds\":" + quantity + "}");
                });
                start.countDown();
                HttpResponse<String> scaled = scale.get();
                HttpResponse<String> graced = grace.get();

                App stored = api.apps.require("raced").value();
                assertThat(scaled.statusCode()).as(scaled.body()).isIn(200, 409);
                assertThat(graced.statusCode()).as(graced.body()).isIn(200, 409);
                if (scaled.statusCode() == 200) {
                    assertThat(stored.formation().get("web")).as("round %d: the scale answered 200", round)
                            .isEqualTo(quantity);
                }
                if (graced.statusCode() == 200) {
                    assertThat(stored.killGraceSeconds()).as("round %d: the grace answered 200", round)
                            .isEqualTo(quantity);
                }
                for (HttpResponse<String> answer : new HttpResponse[] {scaled, graced}) {
                    if (answer.statusCode() == 409) {
                        conflicts++;
                        assertThat(answer.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
                        assertThat(Json.mapper().readTree(answer.body()).path("detail").asText())
                                .contains("changed by another request").contains("retry");
                    }
                }
            }
        } finally {
            writers.shutdownNow();
        }
        // Not asserted: whether a race happened is up to the scheduler; what matters is that none lost.
        System.out.println(conflicts + " of " + 2 * ROUNDS + " writes answered 409");
    }

    @Test
    void buildpacksAndConstraintsRacingAreNeverLostEither() throws Exception {
        api.givenApp("raced-too");
        for (int round = 0; round < ROUNDS; round++) {
            String buildpack = "https://example.com/bp-" + round + ".tgz";
            CompletableFuture<HttpResponse<String>> packs = CompletableFuture.supplyAsync(() -> call(() -> api.put(
                    "/apps/raced-too/buildpacks", "{\"buildpacks\":[\"" + buildpack + "\"]}")));
            String constraint = round % 2 == 0 ? "hostname:UNIQUE" : "rack:UNIQUE";
            CompletableFuture<HttpResponse<String>> constrained = CompletableFuture.supplyAsync(() -> call(() ->
                    api.patch("/apps/raced-too/formation/web", "{\"constraints\":[\"" + constraint + "\"]}")));

            HttpResponse<String> p = packs.get();
            HttpResponse<String> c = constrained.get();
            App stored = api.apps.require("raced-too").value();
            assertThat(p.statusCode()).as(p.body()).isIn(200, 409);
            assertThat(c.statusCode()).as(c.body()).isIn(200, 409);
            if (p.statusCode() == 200) {
                assertThat(stored.buildpacks()).containsExactly(buildpack);
            }
            if (c.statusCode() == 200) {
                JsonNode formation = Json.mapper().readTree(c.body());
                assertThat(formation.findValuesAsText("type")).contains("web");
                assertThat(stored.constraintsOf("web")).containsExactly(constraint);
            }
        }
    }

    private interface Call {
        HttpResponse<String> run() throws Exception;
    }

    private static HttpResponse<String> call(Call call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
