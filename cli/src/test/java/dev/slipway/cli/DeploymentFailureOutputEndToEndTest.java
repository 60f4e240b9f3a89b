package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that cannot run, as a newcomer meets it: `deploy` stops waiting once its instance has
 * crashed and prints why, the exit code and what the process printed before it died, not only
 * that it failed.
 */
class DeploymentFailureOutputEndToEndTest {
    @TempDir
    static Path home;
    static LocalSlipway slipway;

    @AfterAll
    static void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void aDeployWhoseInstanceCrashesFailsFastWithTheExitCodeAndTheLinesItPrinted(@TempDir Path source)
            throws Exception {
        slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, SlipwayForTests.EXECUTOR_JAR,
                SlipwayForTests.BUILDPACKS), line -> { });
        String api = slipway.api().toString();
        Files.writeString(source.resolve("Procfile"), "web: echo 'boom: missing thing' >&2; exit 127\n");
        assertThat(Cli.run(api, "apps:create", "doomed").exitCode()).isZero();

        Instant started = Instant.now();
        Cli.Result deploy = Cli.run(api, "deploy", source.toString(), "-a", "doomed");
        Duration took = Duration.between(started, Instant.now());
        System.out.println("deploy (build, release, crashes, failed deployment) ended after " + took.toMillis() + " ms:\n"
                + deploy);

        assertThat(deploy.exitCode()).as(deploy.toString()).isNotZero();
        assertThat(deploy.out()).as(deploy.toString()).contains("web.1 crashed: exited with code 127")
                .contains("boom: missing thing");
        assertThat(deploy.out().indexOf("boom: missing thing")).as("the crash, then what it printed")
                .isGreaterThan(deploy.out().indexOf("web.1 crashed: exited with code 127"));
        assertThat(deploy.out().split("boom: missing thing", -1)).as("the last run's lines, not every run's: " + deploy)
                .hasSize(2);
        assertThat(deploy.err()).contains("the deployment of v1 failed");
        assertThat(took).as("failing fast, well before the deployment's timeout: " + deploy)
                .isLessThan(Duration.ofSeconds(60));
    }
}
