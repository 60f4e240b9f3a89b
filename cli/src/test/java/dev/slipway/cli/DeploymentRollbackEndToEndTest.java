package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose web process exits at once, as a user meets it under `slipway up`: `deploy`
 * follows its deployment and fails fast with the exit code, the app is rolled back on its own to
 * the good release while it serves every request, `releases` marks the rolled-back release and the
 * running one, and Slipway restarted on the same home brings back the good release, not the bad.
 */
class DeploymentRollbackEndToEndTest {
    @TempDir
    static Path home;
    static LocalSlipway slipway;

    @AfterAll
    static void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void aReleaseThatCrashesAtOnceIsRolledBackWhileTheGoodOneServesAndARestartBringsBackTheGoodOne(
            @TempDir Path source) throws Exception {
        slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, SlipwayForTests.EXECUTOR_JAR,
                SlipwayForTests.BUILDPACKS), line -> { });
        String api = slipway.api().toString();
        for (String file : new String[] {"Procfile", "Hello.java"}) {
            Files.copy(EndToEndTest.EXAMPLE.resolve(file), source.resolve(file));
        }
        assertThat(Cli.run(api, "apps:create", "steady").exitCode()).isZero();
        Cli.Result good = Cli.run(api, "deploy", source.toString(), "-a", "steady");
        assertThat(good.exitCode()).as(good.toString()).isZero();
        assertThat(good.out()).contains("1/1 web up").contains("v1 is running");

        RouterLoad load = RouterLoad.start(slipway.routerPort(), "steady.localhost");
        load.awaitMore(20);
        Files.writeString(source.resolve("Procfile"), "web: exit 3\n");
        Instant started = Instant.now();
        Cli.Result bad = Cli.run(api, "deploy", source.toString(), "-a", "steady");
        Duration took = Duration.between(started, Instant.now());

        assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
        assertThat(bad.err()).contains("the deployment of v2 rolled back").contains("web.1 crashed: exited with code 3")
                .contains("rolled back to v1 as v3");
        assertThat(took).as("failing fast, not at the timeout").isLessThan(Duration.ofMinutes(2));
        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> deployment(api, 3).path("state").asText(), "succeeded"::equals);
        load.awaitMore(20);
        load.close();
        assertThat(load.failures()).as("requests through the router while v2 failed and v3 replaced v1").isEmpty();
        String releases = Cli.run(api, "releases", "-a", "steady").out();
        assertThat(line(releases, "v3")).contains("running").contains("Rollback to v1 (v2 failed:")
                .containsPattern(" slipway +20");
        assertThat(line(releases, "v2")).contains("rolled back");
        assertThat(line(releases, "v1")).doesNotContain("running").containsPattern(" admin +20");

        String token = Credentials.ofThisUser().get(api).orElseThrow();
        slipway.close();
        slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, SlipwayForTests.EXECUTOR_JAR,
                SlipwayForTests.BUILDPACKS), line -> { });
        String restarted = slipway.api().toString();
        Credentials.ofThisUser().put(restarted, token);

        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> TestHttp.viaRouter(slipway.routerPort(), "steady.localhost").statusCode() == 200);
        assertThat(TestHttp.viaRouter(slipway.routerPort(), "steady.localhost").body())
                .isEqualTo("Hello from Slipway! (web.1)\n");
        JsonNode app = Json.mapper().readTree(Cli.run(restarted, "apps:info", "-a", "steady", "--json").out());
        assertThat(app.path("running_release").asInt()).isEqualTo(3);
    }

    private static JsonNode deployment(String api, int id) throws Exception {
        Cli.Result shown = Cli.run(api, "deployments", "-a", "steady", "--json");
        for (JsonNode d : Json.mapper().readTree(shown.out())) {
            if (d.path("id").asInt() == id) {
                return d;
            }
        }
        return Json.mapper().createObjectNode();
    }

    private static String line(String table, String version) {
        return table.lines().filter(l -> l.startsWith(version + " ")).findFirst().orElse("");
    }
}
