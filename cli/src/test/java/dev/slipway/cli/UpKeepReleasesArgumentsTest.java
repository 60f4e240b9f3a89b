package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code slipway up --keep-releases N}, the framework's own option, read before anything starts. */
class UpKeepReleasesArgumentsTest {
    @Test
    void upTakesTheFrameworksKeepReleasesAndKeepsFiftyWithoutIt() {
        assertThat(up("--keep-releases", "3").framework.keepReleases()).isEqualTo(3);
        assertThat(up().framework.keepReleases()).isEqualTo(50);
        FrameworkCommand framework = new FrameworkCommand();
        new CommandLine(framework).parseArgs("--zk", "127.0.0.1:2181", "--zk-credentials-file", "zk.credentials",
                "--master", "http://127.0.0.1:5050", "--keep-releases", "7");
        assertThat(framework.framework.keepReleases()).isEqualTo(7);
    }

    @Test
    void fewerThanOneReleaseOrNotANumberIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> up("--keep-releases", "0").framework.keepReleases()).isInstanceOf(CliError.class)
                .hasMessage("--keep-releases must be at least 1, not 0");
        assertThatThrownBy(() -> up("--keep-releases", "many")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--keep-releases");
    }

    @Test
    void aBadKeepReleasesStopsUpBeforeAnythingStarts() throws Exception {
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("slipway-keep-");
        int exit = new CommandLine(new UpCommand()).setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .setExecutionExceptionHandler((e, line, parsed) -> e instanceof CliError ? 2 : 1)
                .execute("--data-dir", home.toString(), "--keep-releases", "0");

        assertThat(exit).isEqualTo(2);
        try (var files = java.nio.file.Files.list(home)) {
            assertThat(files).isEmpty();
        }
    }

    private static UpCommand up(String... args) {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs(args);
        return up;
    }
}
