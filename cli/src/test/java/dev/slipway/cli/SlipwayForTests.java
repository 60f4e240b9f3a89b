package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * All of Slipway in this JVM for one test class, building on this machine (no Docker):
 * {@code @RegisterExtension static final SlipwayForTests slipway = new SlipwayForTests();}. It is
 * up before the class's own {@code @BeforeAll} methods run, and stopped (its home deleted) after
 * its tests. The CLI and {@link TestHttp} send the admin's token it made (stored for its API URL in
 * the credentials file under {@code $SLIPWAY_HOME}, which the build points at {@code target/test-home}).
 */
final class SlipwayForTests implements BeforeAllCallback, AfterAllCallback {
    static final Path EXECUTOR_JAR = Path.of("../executor/target/slipway-executor.jar").toAbsolutePath().normalize();
    static final Path BUILDPACKS = Path.of("../buildpacks").toAbsolutePath().normalize();

    private Path home;
    private LocalSlipway slipway;
    private int routerHttpsPort = -1;

    /** Its router serves HTTPS too, on a free port ({@link #routerHttpsPort()}). */
    SlipwayForTests withRouterHttps() {
        routerHttpsPort = 0;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assertThat(EXECUTOR_JAR).as("the executor jar (built by `mvn package` before these tests)").isRegularFile();
        home = Files.createTempDirectory("slipway-test-home-");
        slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, EXECUTOR_JAR, BUILDPACKS)
                .withRouterHttps(routerHttpsPort), line -> { });
    }

    /** Stops Slipway: instances, and streams still open (a `logs --tail`), end with it. */
    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (slipway != null) {
            slipway.close();
        }
        if (home != null) {
            try (Stream<Path> paths = Files.walk(home)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** The API's URL, as the CLI takes it ({@code --api}). */
    String api() {
        return slipway.api().toString();
    }

    /** The first admin's token, which `up` (LocalSlipway) stored in the CLI's credentials file for {@link #api()}. */
    String adminToken() {
        return Credentials.ofThisUser().get(api()).orElseThrow();
    }

    int routerPort() {
        return slipway.routerPort();
    }

    /** The router's HTTPS port, -1 without {@link #withRouterHttps()}. */
    int routerHttpsPort() {
        return slipway.routerHttpsPort();
    }

    /** The data directory Slipway keeps everything in. */
    Path home() {
        return home;
    }

    /** ZooKeeper's connect string. */
    String zkConnect() {
        return slipway.zkConnect();
    }
}
