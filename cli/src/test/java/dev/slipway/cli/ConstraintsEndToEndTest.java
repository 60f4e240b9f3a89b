package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement constraints as a user meets them: {@code ps:constraints} shows, sets, refuses and
 * clears them, and {@code ps} says why an instance they leave no room for is pending.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConstraintsEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;
    static String api;

    @BeforeAll
    static void givenAnApp() throws Exception {
        api = slipway.api();
        ok("apps:create", "placed");
    }

    @Test
    @Order(1)
    void constraintsAreShownSetAndCleared() {
        assertThat(ok("ps:constraints", "web", "-a", "placed"))
                .contains("placed web has no constraints: its instances spread across agents.");

        assertThat(ok("ps:constraints", "web", "hostname:UNIQUE", "zone:GROUP_BY:3", "-a", "placed"))
                .contains("Setting the constraints of placed web to hostname:UNIQUE zone:GROUP_BY:3... done");
        assertThat(ok("ps:constraints", "web", "-a", "placed"))
                .contains("=== placed web constraints\nhostname:UNIQUE\nzone:GROUP_BY:3\n");

        assertThat(ok("ps:constraints", "web", "--clear", "-a", "placed"))
                .contains("Clearing the constraints of placed web... done");
        assertThat(ok("ps:constraints", "web", "-a", "placed")).contains("has no constraints");
    }

    @Test
    @Order(2)
    void aBadConstraintIsRefusedNamingItAndNothingChanges() {
        ok("ps:constraints", "web", "rack:MAX_PER:2", "-a", "placed");

        Cli.Result unknown = Cli.run(api, "ps:constraints", "web", "hostname:SPREAD", "-a", "placed");
        Cli.Result regex = Cli.run(api, "ps:constraints", "web", "hostname:LIKE:web[", "-a", "placed");
        Cli.Result both = Cli.run(api, "ps:constraints", "web", "hostname:UNIQUE", "--clear", "-a", "placed");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("constraint 'hostname:SPREAD': unknown operator 'SPREAD'");
        assertThat(regex.exitCode()).isEqualTo(1);
        assertThat(regex.err()).contains("'web[' is not a regular expression");
        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.err()).contains("give constraints or --clear, not both");
        assertThat(ok("ps:constraints", "web", "-a", "placed")).contains("rack:MAX_PER:2");
    }

    @Test
    @Order(3)
    void anInstanceUniqueLeavesNoRoomForIsPendingAndPsSaysWhy() throws Exception {
        ok("apps:create", "lonely");
        ok("ps:constraints", "worker", "hostname:UNIQUE", "-a", "lonely");
        ok("deploy", worker().toString(), "-a", "lonely", "--wait", "0");
        ok("ps:scale", "worker=2", "-a", "lonely");

        // One agent: the first worker runs there, the second has nowhere else to go.
        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> ok("ps", "-a", "lonely"), ps -> ps.matches("(?s).*worker\\.1\\s+up\\s+v1.*")
                        && ps.matches("(?s).*worker\\.2\\s+pending.*UNIQUE hostname: \\S+ already runs worker.*"));

        ok("ps:constraints", "worker", "--clear", "-a", "lonely");
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> ok("ps", "-a", "lonely"), ps -> ps.matches("(?s).*worker\\.2\\s+up\\s+v1.*"));
        ok("ps:scale", "worker=0", "-a", "lonely");
    }

    private static String ok(String... args) {
        return Cli.ok(api, args);
    }

    private static Path worker() throws Exception {
        Path app = Files.createDirectories(work.resolve("lonely"));
        Files.writeString(app.resolve("Procfile"), "worker: while true; do sleep 1; done\n");
        return app;
    }
}
