package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code apps:update} refuses what it cannot send before it calls the API: the API here is a
 * closed port, so any call would fail with "cannot reach" instead of the message asserted.
 */
class AppsUpdateArgumentsTest {
    static final String NO_API = "http://127.0.0.1:1";

    @Test
    void aKillGraceThatIsNotWholeSecondsFromOneToThreeHundredOrDefaultIsRefused() {
        for (String bad : List.of("0", "301", "2.5", "-1", "soon", "", "9999999999")) {
            Cli.Result refused = Cli.run(NO_API, "apps:update", "-a", "hello", "--kill-grace", bad);

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).as(bad).isEqualTo("error: --kill-grace takes whole seconds from 1 to 300, or "
                    + "`default`; not '" + bad + "'\n");
        }
    }

    @Test
    void aDeployTimeoutThatIsNotWholeSecondsFromTenToAnHourOrDefaultIsRefused() {
        for (String bad : List.of("9", "3601", "1.5", "soon", "")) {
            Cli.Result refused = Cli.run(NO_API, "apps:update", "-a", "hello", "--deploy-timeout", bad);

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).as(bad).isEqualTo("error: --deploy-timeout takes whole seconds from 10 to 3600, "
                    + "or `default`; not '" + bad + "'\n");
        }
        for (String good : List.of("10", "3600", "default")) {
            Cli.Result sent = Cli.run(NO_API, "apps:update", "-a", "hello", "--deploy-timeout", good);

            assertThat(sent.err()).as(good).contains("cannot reach the Slipway API");
        }
    }

    @Test
    void anUpdateWithNothingToChangeIsRefused() {
        Cli.Result refused = Cli.run(NO_API, "apps:update", "-a", "hello");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: nothing to update: give --kill-grace SECONDS (1-300)");
    }

    @Test
    void aValidKillGraceGoesToTheApi() {
        for (String good : List.of("1", "300", "default", "DEFAULT")) {
            Cli.Result sent = Cli.run(NO_API, "apps:update", "-a", "hello", "--kill-grace", good);

            assertThat(sent.exitCode()).isEqualTo(1);
            assertThat(sent.err()).as(good).contains("cannot reach the Slipway API");
        }
    }

    @Test
    void theKillGraceIsParsedAsSecondsOrNullForTheDefault() {
        assertThat(AppsCommands.KillGrace.parse("30")).isEqualTo(30);
        assertThat(AppsCommands.KillGrace.parse("default")).isNull();
    }
}
