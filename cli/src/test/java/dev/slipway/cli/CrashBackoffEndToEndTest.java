package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An app that cannot start, as a user sees it under `slipway up`: one crashed line per slot, with why and when. */
class CrashBackoffEndToEndTest {
    private static final Pattern CRASHED_AGAIN = Pattern.compile(
            "(?m)^web\\.1 crashed: exited with code 127 - next try in ([2-9]|\\d{2,}) s$");

    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();

    @Test
    void anAppThatExitsAtOnceIsShownCrashedWithItsExitCodeAndNextTryOnOneLine(@TempDir Path source) throws Exception {
        Files.writeString(source.resolve("Procfile"), "web: exit 127\n");
        String api = slipway.api();
        assertThat(Cli.run(api, "apps:create", "crashy").exitCode()).isZero();
        Cli.Result deployed = Cli.run(api, "deploy", source.toString(), "-a", "crashy", "--wait", "0");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();

        // A wait of 2 s or more is shown after the second crash in a row at the earliest.
        String ps = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Cli.run(api, "ps", "-a", "crashy").out(), out -> CRASHED_AGAIN.matcher(out).find());

        assertThat(ps.lines().filter(line -> line.startsWith("web.1"))).as("one line for web.1, not its history: " + ps)
                .hasSize(1);
    }
}
