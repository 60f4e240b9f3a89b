package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway framework} refuses bad settings with one plain line, before it connects to anything. */
class FrameworkCommandTest {
    @TempDir
    Path dir;

    @Test
    void aMissingZooKeeperCredentialsFileIsNamed() {
        Path missing = dir.resolve("zookeeper.credentials");

        Run run = framework("--zk-credentials-file", missing.toString());

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("cannot read the ZooKeeper credentials file " + missing);
    }

    @Test
    void anUnknownBuildPlaceIsRefused() {
        Run run = framework("--builds", "sideways");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("--builds must be auto, container or host, not 'sideways'");
    }

    @Test
    void aMesosPrincipalWithoutItsSecretIsRefused() {
        Run run = framework("--mesos-principal", "slipway");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("--mesos-principal and --mesos-secret-file go together");
    }

    @Test
    void aBadSizeIsRefusedAsUpRefusesIt() {
        Run run = framework("--size", "large=half:1024");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("--size:");
    }

    @Test
    void zooKeeperAndTheMasterAreRequired() {
        Run run = run("framework");

        assertThat(run.exit).isNotZero();
        assertThat(run.err).contains("--zk").contains("--master");
    }

    private record Run(int exit, String err) {
    }

    /** The command with settings that would be good but for {@code overrides} (nothing listens at them). */
    private Run framework(String... overrides) {
        List<String> args = new ArrayList<>(List.of("framework", "--zk", "127.0.0.1:1", "--master",
                "http://127.0.0.1:1", "--zk-credentials-file", dir.resolve("none").toString(), "--builds", "host",
                "--data-dir", dir.resolve("data").toString()));
        for (int i = 0; i < overrides.length; i += 2) {
            int at = args.indexOf(overrides[i]);
            if (at >= 0) {
                args.set(at + 1, overrides[i + 1]);
            } else {
                args.add(overrides[i]);
                args.add(overrides[i + 1]);
            }
        }
        return run(args.toArray(String[]::new));
    }

    private static synchronized Run run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }
}
