package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.slipway.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The repository's four examples deployed with {@code slipway deploy}, built by the built-in
 * buildpacks in containers of the stack image, and answering through the router; a second deploy
 * reuses the build cache; a third-party buildpack in a local folder; a failing build leaves the
 * running release serving. The instances run in labelled containers of the stack; one killed by hand
 * is replaced. Needs a Docker engine (skipped without one, unless
 * {@code SLIPWAY_REQUIRE_DOCKER} is set, as in CI).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesEndToEndTest {
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    static final Path EXECUTOR_JAR = REPOSITORY.resolve("executor/target/slipway-executor.jar");

    @TempDir
    static Path home;
    @TempDir
    static Path work;
    static LocalSlipway slipway;
    static String api;
    static DockerClient docker;

    @BeforeAll
    static void startSlipway() throws Exception {
        Optional<DockerClient> docker = DockerEngine.find();
        if (docker.isEmpty() && System.getenv("SLIPWAY_REQUIRE_DOCKER") != null) {
            fail("SLIPWAY_REQUIRE_DOCKER is set but no Docker engine answers");
        }
        assumeTrue(docker.isPresent(), "no Docker engine here");
        ExamplesEndToEndTest.docker = docker.get();
        slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, EXECUTOR_JAR, REPOSITORY.resolve("buildpacks"))
                .withContainerBuilds(REPOSITORY.resolve("stack")), line -> { });
        api = slipway.api().toString();
    }

    @AfterAll
    static void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
        if (docker != null) {
            DockerEngine.close(docker);
        }
    }

    /** The running containers of an app's instances, as `docker ps --filter label=...` lists them. */
    private static List<Container> containers(String app) {
        return docker.listContainersCmd().withLabelFilter(Map.of("dev.slipway.app", app)).exec();
    }

    private static Cli.Result deploy(String app, Path source) {
        assertThat(Cli.run(api, "apps:create", app).exitCode()).isIn(0, 1);
        return Cli.run(api, "deploy", source.toString(), "-a", app);
    }

    private static String body(String app) throws Exception {
        return TestHttp.viaRouter(slipway.routerPort(), app + ".localhost").body();
    }

    /**
     * The router learns of a new instance through a ZooKeeper watch, a moment after the API says
     * it is up: wait for that moment, then the answer must be exactly this.
     */
    private static void answers(String app, String expected) {
        Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(body(app)).isEqualTo(expected));
    }

    private static void deploysAndAnswers(String app, String example, String detected, String answer)
            throws Exception {
        Cli.Result deployed = deploy(app, REPOSITORY.resolve("examples").resolve(example));

        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("-----> Building in a container of slipway/stack:")
                .contains("-----> " + detected + " app detected").contains("Released v1");
        answers(app, answer);
    }

    @Test
    @Order(1)
    void theNodeExampleAnswersThroughTheRouterFromALabelledContainer() throws Exception {
        deploysAndAnswers("node", "node-express", "Node.js", "Hello from Node.js on Slipway! (web.1)\n");

        assertThat(containers("node")).singleElement().satisfies(container -> {
            assertThat(container.getNames()[0]).startsWith("/slipway-node-web.1-");
            assertThat(container.getLabels()).containsEntry("dev.slipway.process", "web")
                    .containsEntry("dev.slipway.release", "1");
            assertThat(container.getImage()).startsWith("slipway/stack:");
        });
    }

    @Test
    @Order(2)
    void theJavaExampleAnswersThroughTheRouter() throws Exception {
        deploysAndAnswers("java", "java-maven", "Java (Maven)", "Hello from Java on Slipway! (web.1)\n");
    }

    @Test
    @Order(3)
    void theStaticSiteAndTheProcfileExampleAnswerThroughTheRouter() throws Exception {
        deploysAndAnswers("site", "static-site", "Static", Files.readString(
                REPOSITORY.resolve("examples/static-site/index.html")));
        deploysAndAnswers("hello", "procfile-hello", "Procfile", "Hello from Slipway! (web.1)\n");
    }

    @Test
    @Order(4)
    void aSecondDeployReusesTheBuildCache() throws Exception {
        Cli.Result again = deploy("node", REPOSITORY.resolve("examples/node-express"));

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("-----> Restoring node_modules from the cache").contains("Released v2");
        answers("node", "Hello from Node.js on Slipway! (web.1)\n");
    }

    @Test
    @Order(5)
    void aContainerKilledByHandIsNoticedAndReplaced() throws Exception {
        String killed = containers("hello").get(0).getId();

        docker.killContainerCmd(killed).exec();

        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> containers("hello").stream().anyMatch(c -> !c.getId().equals(killed))
                        && body("hello").equals("Hello from Slipway! (web.1)\n"));
        assertThat(containers("hello")).extracting(Container::getId).doesNotContain(killed);
    }

    @Test
    @Order(6)
    void aThirdPartyBuildpackInALocalFolderBuildsTheApp() throws Exception {
        Path app = work.resolve("greeter");
        write(app.resolve("greeting.txt"), "Hello from a third-party buildpack\n", false);
        write(app.resolve(".buildpacks"), "./vendor/greeter-buildpack\n", false);
        Path buildpack = app.resolve("vendor/greeter-buildpack/bin");
        write(buildpack.resolve("detect"), "#!/usr/bin/env bash\necho Greeter\n", true);
        write(buildpack.resolve("compile"), "#!/usr/bin/env bash\nset -euo pipefail\n"
                + "echo '-----> Writing the greeter'\n"
                + "echo \"require('http').createServer((q, r) => r.end(require('fs').readFileSync('greeting.txt')))"
                + ".listen(process.env.PORT)\" > \"$1/greeter.js\"\n", true);
        write(buildpack.resolve("release"), "#!/usr/bin/env bash\nprintf -- '---\\ndefault_process_types:\\n"
                + "  web: node greeter.js\\n'\n", true);

        Cli.Result deployed = deploy("greeter", app);

        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("-----> Greeter app detected", "-----> Writing the greeter");
        answers("greeter", "Hello from a third-party buildpack\n");
    }

    @Test
    @Order(7)
    void aFailingBuildNamesTheBuildpackAndTheRunningReleaseKeepsServing() throws Exception {
        Path broken = work.resolve("broken-node");
        write(broken.resolve("package.json"), """
                {"name": "broken", "version": "1.0.0", "scripts": {"start": "node server.js"},
                 "dependencies": {"slipway-no-such-package-anywhere": "1.0.0"}}
                """, false);

        Cli.Result failed = deploy("node", broken);

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.out() + failed.err()).contains("buildpack nodejs failed: bin/compile exited");
        Awaitility.await().during(2, TimeUnit.SECONDS).atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> body("node").equals("Hello from Node.js on Slipway! (web.1)\n"));
    }

    @Test
    @Order(8)
    void anInstanceFailingItsAppJsonHealthCheckIsReplaced() throws Exception {
        Path app = work.resolve("sickly");
        write(app.resolve("Procfile"), "web: node server.js\n", false);
        write(app.resolve("server.js"), """
                const fs = require('fs');
                require('http').createServer((req, res) => {
                  const sick = req.url === '/health' && fs.existsSync('/tmp/sick');
                  res.statusCode = sick ? 500 : 200;
                  res.end(sick ? 'sick' : 'fine ' + process.env.DYNO + '\\n');
                }).listen(process.env.PORT);
                """, false);
        write(app.resolve("app.json"), """
                {"healthchecks": {"web": {"type": "http", "path": "/health", "interval_seconds": 1,
                                          "timeout_seconds": 1, "max_consecutive_failures": 2}}}
                """, false);
        Cli.Result deployed = deploy("sickly", app);
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("app.json health checks -> web");
        String first = containers("sickly").get(0).getId();

        String exec = docker.execCreateCmd(first).withCmd("touch", "/tmp/sick").exec().getId();
        docker.execStartCmd(exec).start().awaitCompletion(10, TimeUnit.SECONDS);

        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> containers("sickly").stream().anyMatch(c -> !c.getId().equals(first))
                        && body("sickly").equals("fine web.1\n"));
        assertThat(Cli.run(api, "ps", "-a", "sickly").out()).contains("web.1");
    }

    @Test
    @Order(9)
    void theContainerOfAnExecutorKilledOutrightIsRemovedAndItsInstanceReplaced() throws Exception {
        Container orphaned = containers("hello").get(0);
        ProcessHandle executor = executorOf(orphaned.getLabels().get("dev.slipway.task-id"));

        executor.destroyForcibly();

        // The agent reports the task failed; the container, Docker's child, runs on until the
        // framework's next list of live tasks reaches a running executor.
        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> docker.listContainersCmd().withShowAll(true)
                        .withIdFilter(List.of(orphaned.getId())).exec().isEmpty()
                        && containers("hello").size() == 1 && body("hello").equals("Hello from Slipway! (web.1)\n"));
    }

    @Test
    @Order(10)
    void aContainerOfTheFrameworkWhoseTaskIsNotLiveIsRemovedByTheNextSweep() {
        Container hello = containers("hello").get(0);
        String stray = docker.createContainerCmd(hello.getImage())
                .withName("slipway-stray-web.1-" + Long.toHexString(System.nanoTime()))
                .withLabels(Map.of("dev.slipway.framework", hello.getLabels().get("dev.slipway.framework"),
                        "dev.slipway.task-id", "stray.web.1.v1.0badc0de", "dev.slipway.app", "stray"))
                .withCmd("sleep", "600").exec().getId();
        docker.startContainerCmd(stray).exec();

        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .until(() -> docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(stray)).exec()
                        .isEmpty());
        assertThat(containers("hello")).extracting(Container::getId).containsExactly(hello.getId());
    }

    /** The executor process of a task, found as an operator would: by its MESOS_EXECUTOR_ID. */
    private static ProcessHandle executorOf(String taskId) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                String environ = Files.readString(Path.of("/proc", Long.toString(p.pid()), "environ"),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                return List.of(environ.split("\0")).contains("MESOS_EXECUTOR_ID=" + taskId);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new AssertionError("no executor process of task " + taskId));
    }

    private static void write(Path file, String content, boolean executable) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        if (executable) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
