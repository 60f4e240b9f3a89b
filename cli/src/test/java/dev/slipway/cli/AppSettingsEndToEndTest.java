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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app's settings as a user meets them: {@code apps:info} and {@code apps:update --kill-grace},
 * against all of Slipway in this JVM, down to a running instance stopped with the grace set
 * after it was launched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppSettingsEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;
    static String api;

    @BeforeAll
    static void givenAnApp() throws Exception {
        api = slipway.api();
        ok("apps:create", "settings");
    }

    @Test
    @Order(1)
    void appsInfoShowsANewAppsSettingsWithTheDefaultKillGrace() {
        String info = ok("apps:info", "-a", "settings");

        assertThat(info).contains("=== settings")
                .containsPattern("Web URL:\\s+http://settings\\.localhost:" + slipway.routerPort() + "/")
                .containsPattern("Release:\\s+not deployed")
                .containsPattern("Formation:\\s+web=1 once deployed")
                .containsPattern("Buildpacks:\\s+auto-detection")
                .containsPattern("Kill grace:\\s+10 s \\(default\\)");
    }

    @Test
    @Order(2)
    void theKillGraceIsSetShownAndResetToTheDefault() {
        assertThat(ok("apps:update", "-a", "settings", "--kill-grace", "30"))
                .contains("Setting the kill grace of settings to 30 s... done");
        assertThat(ok("apps:info", "-a", "settings")).containsPattern("Kill grace:\\s+30 s\\n");

        assertThat(ok("apps:update", "-a", "settings", "--kill-grace", "default"))
                .contains("Setting the kill grace of settings to 10 s (default)... done");
        assertThat(ok("apps:info", "-a", "settings")).containsPattern("Kill grace:\\s+10 s \\(default\\)");
    }

    @Test
    @Order(3)
    void badInputIsRefusedWithAPlainMessageAndNothingChanges() {
        ok("apps:update", "-a", "settings", "--kill-grace", "45");

        for (String bad : new String[] {"0", "301", "2.5", "-1", "soon", ""}) {
            Cli.Result refused = Cli.run(api, "apps:update", "-a", "settings", "--kill-grace", bad);
            assertThat(refused.exitCode()).as(bad).isEqualTo(1);
            assertThat(refused.err()).as(bad).startsWith("error: --kill-grace takes whole seconds from 1 to 300");
        }
        Cli.Result nothing = Cli.run(api, "apps:update", "-a", "settings");
        Cli.Result unknownApp = Cli.run(api, "apps:update", "-a", "nobody", "--kill-grace", "30");
        Cli.Result unknownInfo = Cli.run(api, "apps:info", "-a", "nobody");

        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.err()).startsWith("error: nothing to update");
        assertThat(unknownApp.exitCode()).isEqualTo(1);
        assertThat(unknownApp.err()).contains("app 'nobody' does not exist");
        assertThat(unknownInfo.exitCode()).isEqualTo(1);
        assertThat(unknownInfo.err()).contains("app 'nobody' does not exist");
        assertThat(ok("apps:info", "-a", "settings")).containsPattern("Kill grace:\\s+45 s\\n");
    }

    @Test
    @Order(4)
    void aRunningInstanceIsStoppedWithTheGraceSetAfterItWasLaunched() throws Exception {
        ok("apps:create", "stubborn");
        ok("apps:update", "-a", "stubborn", "--kill-grace", "300");
        ok("deploy", stubbornWorker().toString(), "-a", "stubborn", "--wait", "0");
        ok("ps:scale", "worker=1", "-a", "stubborn");
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> ok("ps", "-a", "stubborn"), ps -> ps.matches("(?s).*worker\\.1\\s+up\\s+v1.*"));
        assertThat(ok("apps:info", "-a", "stubborn")).containsPattern("Formation:\\s+worker=1")
                .containsPattern("Release:\\s+v1");

        // Launched with 300 s; it ignores SIGTERM, so only the new grace can end it this soon.
        ok("apps:update", "-a", "stubborn", "--kill-grace", "1");
        ok("ps:scale", "worker=0", "-a", "stubborn");

        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> ok("ps", "--all", "-a", "stubborn"),
                        ps -> ps.matches("(?s).*worker\\.1\\s+down\\s+v1.*killed by signal 9.*"));
        // Scaled to 0, worker.1 is no current instance: only the history shows it.
        assertThat(ok("ps", "-a", "stubborn")).doesNotContain("worker.1");
    }

    @Test
    @Order(5)
    void aProcessTypeThatIsNotAProcfileNameIsRefusedNamingIt() {
        for (String bad : new String[] {"Web", "we b", "web.1", "1web", "w" + "e".repeat(30)}) {
            Cli.Result refused = Cli.run(api, "ps:scale", bad + "=1", "-a", "settings");

            assertThat(refused.exitCode()).as(bad).isEqualTo(1);
            assertThat(refused.err()).as(bad).contains("process type '" + bad + "' is not a valid name");
        }
        assertThat(ok("apps:info", "-a", "settings")).containsPattern("Formation:\\s+web=1 once deployed");
    }

    private static String ok(String... args) {
        return Cli.ok(api, args);
    }

    /** A Procfile app whose only process ignores SIGTERM: it stops when SIGKILL comes, at the grace's end. */
    private static Path stubbornWorker() throws Exception {
        Path app = Files.createDirectories(work.resolve("stubborn"));
        Files.writeString(app.resolve("Procfile"), "worker: trap '' TERM; while true; do sleep 0.2; done\n");
        return app;
    }
}
