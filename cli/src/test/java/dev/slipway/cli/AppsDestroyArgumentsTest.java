package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code apps:destroy} asks for the app's name again before it calls the API: the API here is a
 * closed port, so any call would fail with "cannot reach" instead of the message asserted.
 */
class AppsDestroyArgumentsTest {
    static final String NO_API = "http://127.0.0.1:1";

    @Test
    void aDestroyWithoutConfirmIsRefusedAsAUsageErrorSayingHowToConfirm() {
        Cli.Result refused = Cli.run(NO_API, "apps:destroy", "hello");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("slipway apps:destroy hello --confirm hello");
    }

    @Test
    void aConfirmThatDoesNotMatchTheAppIsRefusedAndNothingIsSent() {
        Cli.Result refused = Cli.run(NO_API, "apps:destroy", "-a", "hello", "--confirm", "hallo");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--confirm hallo does not match the app hello").doesNotContain("reach");
    }

    @Test
    void aMatchingConfirmGoesToTheApi() {
        Cli.Result sent = Cli.run(NO_API, "apps:destroy", "hello", "--confirm", "hello");

        assertThat(sent.exitCode()).isEqualTo(1);
        assertThat(sent.err()).contains("cannot reach the Slipway API");
    }
}
