package dev.slipway.framework.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.offer.Placement;
import dev.slipway.zk.Release;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an agent fetches for an instance: the executor jar and the slug, both once per agent. */
class LaunchFetchUrisTest {
    @TempDir
    Path dir;

    @Test
    void theJarAndTheSlugGoThroughTheAgentsCacheAtUrlsThatNameTheirContent() throws Exception {
        List<Launch.Fetch> uris = launchWithJar("hello").uris();

        // sha256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e...
        // Signed for the Mesos fetcher, which sends no token (see auth.Signer).
        dev.slipway.framework.auth.Signer signer = dev.slipway.framework.TestConfigs.signer();
        assertThat(uris).containsExactly(
                new Launch.Fetch("http://framework.internal:7070" + signer.signedPath(
                        "/executor/2cf24dba5fb0a30e/slipway-executor.jar", Instant.EPOCH), false, false, true),
                new Launch.Fetch("http://framework.internal:7070" + signer.signedPath(
                        "/slugs/" + "a".repeat(64) + ".tgz", Instant.EPOCH), true, false, true));
        assertThat(URI.create(uris.get(0).uri()).getPath()).as("the sandbox file the executor command runs")
                .endsWith("/" + "slipway-executor.jar");
    }

    @Test
    void anotherJarIsFetchedFromAnotherUrl() throws Exception {
        assertThat(launchWithJar("hello").uris().get(0).uri()).isNotEqualTo(launchWithJar("hello, again").uris()
                .get(0).uri());
    }

    private Launch launchWithJar(String content) throws Exception {
        Path jar = Files.writeString(Files.createTempDirectory(dir, "jar").resolve("slipway-executor.jar"), content);
        LaunchFactory factory = new LaunchFactory(new FrameworkConfig(new MesosSettings(
                URI.create("http://127.0.0.1:5050"), null, null, null, null, null, null), "0.0.0.0", 7070,
                URI.create("http://framework.internal:7070"), dir, jar, dir, null, 8080, null), dev.slipway.framework.TestConfigs.signer());
        Wanted wanted = new Wanted(new Slot("hello", "worker", 1), new Release(1, "a".repeat(64), 10,
                Map.of("worker", "./work"), "", Instant.EPOCH));
        Offer offer = new Offer("offer-1", "agent-1", "localhost", new Resources(4, 4096, List.of()));
        return factory.launch("hello.worker.1.v1.abcd", wanted, new Placement(factory.demand(wanted), offer, 0), Instant.EPOCH,
                List.of());
    }
}
