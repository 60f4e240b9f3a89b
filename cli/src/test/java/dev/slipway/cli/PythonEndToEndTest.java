package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.cli.python.PackageIndex;
import dev.slipway.cli.python.StandInGunicorn;
import dev.slipway.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/python-getting-started} (heroku/python-getting-started's shape: requirements.txt
 * with gunicorn, runtime.txt, {@code web: gunicorn hello.wsgi}) deployed unchanged with
 * {@code slipway deploy}, pip reading a package index this test serves on loopback
 * ({@code PIP_INDEX_URL}) with a stand-in gunicorn it made, so no PyPI is needed; it answers through
 * the router. An app whose Procfile runs a program its requirements do not install is refused before
 * release, with the reason, and the running release keeps serving. Needs a Docker engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonEndToEndTest {
    private static final String ANSWER = "Hello from Python on Slipway! (web.1)\n";

    @TempDir
    static Path home;
    @TempDir
    static Path work;
    static LocalSlipway slipway;
    static String api;
    static DockerClient docker;
    static PackageIndex index;

    @BeforeAll
    static void startSlipwayAndTheIndex() throws Exception {
        docker = DockerForTests.engine();
        index = PackageIndex.serving(StandInGunicorn.wheel());
        slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, ExamplesEndToEndTest.EXECUTOR_JAR,
                ExamplesEndToEndTest.REPOSITORY.resolve("buildpacks"))
                .withContainerBuilds(ExamplesEndToEndTest.REPOSITORY.resolve("stack")), line -> { });
        api = slipway.api().toString();
        Cli.ok(api, "apps:create", "py");
        Cli.ok(api, "config:set", "PIP_INDEX_URL=" + index.url(), "-a", "py");
    }

    @AfterAll
    static void stop() {
        if (slipway != null) {
            slipway.close();
        }
        if (index != null) {
            index.close();
        }
        if (docker != null) {
            DockerEngine.close(docker);
        }
    }

    private static void answers(String expected) {
        Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(TestHttp.viaRouter(slipway.routerPort(), "py.localhost").body())
                        .isEqualTo(expected));
    }

    @Test
    @Order(1)
    void theGettingStartedExampleIsBuiltWithPipAndAnswersThroughTheRouter() throws Exception {
        Cli.Result deployed = Cli.run(api, "deploy",
                ExamplesEndToEndTest.REPOSITORY.resolve("examples/python-getting-started").toString(), "-a", "py");

        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("-----> Python app detected", "-----> Using Python 3.11.",
                "-----> Installing the requirements of requirements.txt with pip", "Released v1");
        answers(ANSWER);
        assertThat(TestHttp.viaRouter(slipway.routerPort(), "py.localhost").statusCode()).isEqualTo(200);
        assertThat(index.downloads()).containsExactly("gunicorn-" + StandInGunicorn.VERSION + "-py3-none-any.whl");
    }

    @Test
    @Order(2)
    void anAppWhoseProcfileRunsAProgramThatIsNotInstalledIsRefusedBeforeReleaseWithTheReason() throws Exception {
        Path app = work.resolve("no-gunicorn");
        Files.createDirectories(app.resolve("hello"));
        Files.writeString(app.resolve("requirements.txt"), "# gunicorn forgotten\n");
        Files.writeString(app.resolve("Procfile"), "web: gunicorn hello.wsgi\n");
        Files.writeString(app.resolve("hello/wsgi.py"), "");

        Cli.Result refused = Cli.run(api, "deploy", app.toString(), "-a", "py");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out() + refused.err()).contains(
                "Procfile process 'web' runs 'gunicorn', which is not installed: add it to requirements.txt")
                .doesNotContain("Released v2");
        answers(ANSWER);
    }
}
