package dev.slipway.framework.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.offer.Demand;
import dev.slipway.framework.offer.Placement;
import dev.slipway.zk.App;
import dev.slipway.zk.Instance;
import dev.slipway.zk.Json;
import dev.slipway.zk.Size;
import dev.slipway.zk.Release;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an instance is launched with: its command, and the environment the executor gives it. */
class LaunchFactoryTest {
    @TempDir
    Path dir;
    LaunchFactory factory;
    FrameworkConfig factoryConfig;

    @BeforeEach
    void configure() throws Exception {
        Path jar = Files.createFile(dir.resolve("slipway-executor.jar"));
        FrameworkConfig config = new FrameworkConfig(new MesosSettings(URI.create("http://127.0.0.1:5050"), null, null,
                null, null, null, null), "127.0.0.1", 0, URI.create("http://127.0.0.1:7070"), dir, jar, dir, null, 8080,
                new FrameworkConfig.Resources(Sizes.DEFAULT.with(new Size("small", 0.1, 512)), 0.05, 96, 10, 60));
        factoryConfig = config;
        factory = new LaunchFactory(config, dev.slipway.framework.TestConfigs.signer());
    }

    @Test
    void theBuildpacksConfigVarsAreInTheInstancesEnvironment() throws Exception {
        JsonNode env = environment(aRelease(Map.of("NODE_ENV", "production", "WEB_CONCURRENCY", "2")), "web", 31000);

        assertThat(env.path("NODE_ENV").asText()).isEqualTo("production");
        assertThat(env.path("WEB_CONCURRENCY").asText()).isEqualTo("2");
    }

    @Test
    void whatSlipwaySetsWinsOverTheBuildpacksConfigVars() throws Exception {
        JsonNode env = environment(aRelease(Map.of("PORT", "5000", "DYNO", "fake.9", "MEMORY_AVAILABLE", "99999")),
                "web", 31000);

        assertThat(env.path("PORT").asText()).isEqualTo("31000");
        assertThat(env.path("DYNO").asText()).isEqualTo("web.1");
        assertThat(env.path("MEMORY_AVAILABLE").asText()).isEqualTo("512");
    }

    @Test
    void memoryAvailableIsTheInstancesMemoryLimitInWholeMegabytes() throws Exception {
        assertThat(environment(aRelease(Map.of()), "worker", 0).path("MEMORY_AVAILABLE").asText()).isEqualTo("512");
        assertThat(LaunchFactory.environment(aRelease(Map.of()), "web.1", 31000, 256.7).get("MEMORY_AVAILABLE"))
                .isEqualTo("256");
    }

    @Test
    void anInstanceWithoutAPortGetsNoPortFromTheBuildpacks() throws Exception {
        JsonNode env = environment(aRelease(Map.of("PORT", "5000")), "worker", 0);
        assertThat(env.has("PORT")).isFalse();
        assertThat(env.path("DYNO").asText()).isEqualTo("worker.1");
    }

    @Test
    void webGetsHerokusBootCheckAndOtherTypesNoneUnlessAppJsonSaysOtherwise() throws Exception {
        Release release = new Release(1, "abc", 1, Map.of("web", "w", "worker", "x", "clock", "c"), Map.of(),
                Map.of("worker", Map.of("type", "command", "command", "test -f /tmp/ok"),
                        "web", Map.of("type", "http", "path", "/health", "boot_timeout_seconds", 30)), "", Instant.EPOCH);

        assertThat(taskData(release, "web", 31000).path("health").toString())
                .isEqualTo("{\"boot_timeout_seconds\":30,\"path\":\"/health\",\"type\":\"http\"}");
        assertThat(taskData(release, "worker", 0).path("health").toString())
                .isEqualTo("{\"boot_timeout_seconds\":60,\"command\":\"test -f /tmp/ok\",\"type\":\"command\"}");
        assertThat(taskData(release, "clock", 0).path("health").toString())
                .isEqualTo("{\"boot_timeout_seconds\":60,\"type\":\"none\"}");
        assertThat(taskData(aRelease(Map.of()), "web", 31000).path("health").toString())
                .isEqualTo("{\"boot_timeout_seconds\":60,\"type\":\"tcp\"}");
    }

    @Test
    void theInstanceRunsInTheStackImageWithItsLimitsWhenOneIsConfigured() throws Exception {
        JsonNode plain = taskData(aRelease(Map.of()), "web", 31000);
        assertThat(plain.path("image").isNull()).isTrue();
        assertThat(plain.path("mem_mb").asInt()).isEqualTo(512);
        assertThat(plain.path("cpus").asDouble()).isEqualTo(0.1);

        FrameworkConfig c = factoryConfig;
        factory = new LaunchFactory(new FrameworkConfig(c.mesos(), c.apiHost(), c.apiPort(), c.advertiseUrl(),
                c.dataDir(), c.executorJar(), c.buildpacksDir(), c.domain(), c.routerPort(), c.resources(),
                "slipway/stack:abc"), dev.slipway.framework.TestConfigs.signer());
        assertThat(taskData(aRelease(Map.of()), "web", 31000).path("image").asText()).isEqualTo("slipway/stack:abc");
    }

    @Test
    void theKillGraceIsTheAppsOwnElseTheFrameworksInTheTaskSpecAndTheKillPolicy() throws Exception {
        Launch own = launch(new Wanted(new Slot("hello", "web", 1), aRelease(Map.of()), 45), 31000);
        Launch byDefault = launch(new Wanted(new Slot("hello", "web", 1), aRelease(Map.of())), 31000);

        assertThat(Json.mapper().readTree(own.data()).path("kill_grace_seconds").asInt()).isEqualTo(45);
        assertThat(own.killGrace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(Json.mapper().readTree(byDefault.data()).path("kill_grace_seconds").asInt()).isEqualTo(10);
        assertThat(byDefault.killGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(factory.killGrace(App.created("hello", Instant.EPOCH).withKillGraceSeconds(120)))
                .isEqualTo(Duration.ofSeconds(120));
        assertThat(factory.killGrace(App.created("hello", Instant.EPOCH))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aResizedTypesInstanceIsDeclaredToMesosAndLimitedAtItsSizeWithItsExecutorsShareOnTop() throws Exception {
        Wanted large = new Wanted(new Slot("hello", "web", 1), aRelease(Map.of()), null, Sizes.DEFAULT.named("large"));

        Demand demand = factory.demand(large);
        Launch launch = launch(large, 31000);
        JsonNode data = Json.mapper().readTree(launch.data());

        assertThat(demand.cpus()).isCloseTo(0.55, within(1e-9));
        assertThat(demand.memMb()).isEqualTo(1024 + 96);
        assertThat(launch.cpus()).isEqualTo(0.5);
        assertThat(launch.memMb()).isEqualTo(1024);
        assertThat(launch.executorCpus()).isEqualTo(0.05);
        assertThat(launch.executorMemMb()).isEqualTo(96);
        assertThat(data.path("cpus").asDouble()).isEqualTo(0.5);
        assertThat(data.path("mem_mb").asInt()).isEqualTo(1024);
        assertThat(data.path("env").path("MEMORY_AVAILABLE").asText()).isEqualTo("1024");
    }

    @Test
    void theInstanceRecordCarriesTheSizeItIsLaunchedWithTheDefaultForATypeNeverResized() {
        Offer offer = new Offer("offer-1", "agent-1", "localhost", new Resources(4, 4096, List.of()));
        Wanted resized = new Wanted(new Slot("hello", "worker", 1), aRelease(Map.of()), null, Size.of(0.3, 300));
        Wanted plain = new Wanted(new Slot("hello", "worker", 2), aRelease(Map.of()));

        Instance sized = factory.instance("t1", resized, new Placement(factory.demand(resized), offer, 0), Instant.EPOCH);
        Instance byDefault = factory.instance("t2", plain, new Placement(factory.demand(plain), offer, 0), Instant.EPOCH);

        assertThat(sized.cpus()).isEqualTo(0.3);
        assertThat(sized.memoryMb()).isEqualTo(300);
        assertThat(byDefault.cpus()).isEqualTo(0.1);
        assertThat(byDefault.memoryMb()).isEqualTo(512);
    }

    private JsonNode environment(Release release, String process, int port) throws Exception {
        return taskData(release, process, port).path("env");
    }

    private JsonNode taskData(Release release, String process, int port) throws Exception {
        return Json.mapper().readTree(launch(new Wanted(new Slot("hello", process, 1), release), port).data());
    }

    private Launch launch(Wanted wanted, int port) {
        Offer offer = new Offer("offer-1", "agent-1", "localhost", new Resources(4, 4096,
                List.of(new Resources.PortRange(31000, 32000))));
        return factory.launch("hello." + wanted.slot().process() + ".1.v1.abcd", wanted,
                new Placement(factory.demand(wanted), offer, port), Instant.EPOCH, List.of());
    }

    private static Release aRelease(Map<String, String> configVars) {
        return new Release(1, "a".repeat(64), 10, Map.of("web", "java Hello.java", "worker", "./work"), configVars,
                "", Instant.parse("2026-11-27T12:00:00Z"));
    }
}
