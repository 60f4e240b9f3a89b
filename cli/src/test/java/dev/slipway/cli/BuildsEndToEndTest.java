package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds and buildpacks as a user meets them: {@code deploy} printing the build as it happens,
 * {@code builds}, {@code builds:output} and the {@code buildpacks} commands, against all of
 * Slipway in this JVM. The buildpacks are small shell scripts written here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildsEndToEndTest {
    static final String WAITING = "-----> Waiting for the signal";

    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;
    static String api;
    static String firstBuild;

    @BeforeAll
    static void givenAnApp() throws Exception {
        api = slipway.api();
        assertThat(Cli.run(api, "apps:create", "env").exitCode()).isZero();
    }

    @Test
    @Order(1)
    void anAppWithoutBuildpacksUsesAutoDetection() {
        Cli.Result shown = Cli.run(api, "buildpacks", "-a", "env");

        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains("env uses auto-detection");
    }

    @Test
    @Order(2)
    void buildpacksAreSetAddedRemovedAndClearedInOrder() {
        Path mine = work.resolve("my-buildpack");

        assertThat(ok("buildpacks:set", "static", "-a", "env")).contains("Buildpack set.").contains("1. static");
        assertThat(ok("buildpacks:add", mine.toString(), "-a", "env")).contains("1. static").contains("2. " + mine);
        assertThat(ok("buildpacks:add", "procfile", "-i", "1", "-a", "env"))
                .containsSubsequence("1. procfile", "2. static", "3. " + mine);
        assertThat(ok("buildpacks:set", "https://github.com/heroku/heroku-buildpack-nodejs#v250", "-i", "2", "-a", "env"))
                .containsSubsequence("1. procfile", "2. https://github.com/heroku/heroku-buildpack-nodejs#v250",
                        "3. " + mine);
        assertThat(ok("buildpacks:remove", "procfile", "-a", "env"))
                .containsSubsequence("1. https://github.com/heroku/heroku-buildpack-nodejs#v250", "2. " + mine);
        assertThat(ok("buildpacks:remove", "-i", "1", "-a", "env")).contains("1. " + mine).doesNotContain("2. ");
        assertThat(ok("buildpacks", "-a", "env")).contains("=== env buildpacks").contains("1. " + mine);
        assertThat(ok("buildpacks:clear", "-a", "env")).contains("Buildpacks cleared.").contains("auto-detection");
        assertThat(ok("buildpacks", "-a", "env")).contains("env uses auto-detection");
    }

    @Test
    @Order(3)
    void anInvalidBuildpackIsRefusedAndNothingIsStored() {
        ok("buildpacks:set", "static", "-a", "env");

        Cli.Result invalid = Cli.run(api, "buildpacks:add", "not a buildpack", "-a", "env");
        Cli.Result relative = Cli.run(api, "buildpacks:set", "./buildpacks/mine", "-a", "env");
        Cli.Result twice = Cli.run(api, "buildpacks:add", "static", "-a", "env");
        Cli.Result noSuchNumber = Cli.run(api, "buildpacks:set", "procfile", "-i", "5", "-a", "env");

        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).startsWith("error: buildpack 2 (not a buildpack) is not valid");
        assertThat(relative.exitCode()).isEqualTo(1);
        assertThat(relative.err()).contains("./buildpacks/mine").contains("absolute path");
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.err()).contains("already set");
        assertThat(noSuchNumber.exitCode()).isEqualTo(1);
        assertThat(noSuchNumber.err()).contains("-i 5");
        Cli.Result shown = Cli.run(api, "buildpacks", "-a", "env");
        assertThat(shown.out()).contains("1. static").doesNotContain("2. ");
        ok("buildpacks:clear", "-a", "env");
    }

    @Test
    @Order(4)
    void deployPrintsTheBuildOutputAsItHappensAndTheReleaseRunsWithTheBuildpacksConfigVars() throws Exception {
        Path signal = work.resolve("signal");
        ok("buildpacks:set", waitingBuildpack(signal).toString(), "-a", "env");

        Cli.Running deploy = Cli.start(api, "deploy", envApp().toString(), "-a", "env");

        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> deploy.out().contains(WAITING));
        assertThat(deploy.out()).contains("-----> Building env (build ").doesNotContain("signal seen");
        Files.createFile(signal);
        Cli.Result deployed = deploy.await();

        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).containsSubsequence("-----> Building env (build ", WAITING, "       signal seen",
                "-----> Released v1", "up", "http://env.localhost:" + slipway.routerPort() + "/ deployed");
        Matcher build = Pattern.compile("\\(build ([0-9a-f]{8})\\)").matcher(deployed.out());
        assertThat(build.find()).isTrue();
        firstBuild = build.group(1);

        HttpResponse<String> served = TestHttp.viaRouter(slipway.routerPort(), "env.localhost");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).contains("GREETING=hello from the buildpack").contains("MEMORY_AVAILABLE=256")
                .contains("DYNO=web.1");
    }

    @Test
    @Order(5)
    void buildsListsTheBuildAndBuildsOutputPrintsItsOutput() {
        Cli.Result builds = Cli.run(api, "builds", "-a", "env");
        Cli.Result output = Cli.run(api, "builds:output", "-a", "env", firstBuild);

        assertThat(builds.exitCode()).as(builds.toString()).isZero();
        assertThat(builds.out()).containsPattern(firstBuild + "\\s+succeeded\\s+v1\\s+\\d{4}-");
        assertThat(output.exitCode()).as(output.toString()).isZero();
        assertThat(output.out()).containsSubsequence("-----> Waiter app detected", WAITING, "       signal seen",
                "-----> Launching");
        assertThat(Cli.run(api, "builds:output", "-a", "env", "ffffffff").err()).contains("env has no build ffffffff");
    }

    @Test
    @Order(6)
    void aFailedBuildExitsOneSaysWhyAndTheAppKeepsServing() throws Exception {
        ok("buildpacks:set", failingBuildpack().toString(), "-a", "env");

        Cli.Result deployed = Cli.run(api, "deploy", envApp().toString(), "-a", "env");

        assertThat(deployed.exitCode()).as(deployed.toString()).isEqualTo(1);
        assertThat(deployed.out()).contains("       about to fail").contains(" !     buildpack ");
        assertThat(deployed.err()).startsWith(" !     Build failed: buildpack ").contains("bin/compile exited 3");
        assertThat(Cli.run(api, "builds", "-a", "env").out()).containsPattern("[0-9a-f]{8}\\s+failed\\s+-\\s+");
        assertThat(Cli.run(api, "releases", "-a", "env").out()).contains("v1").doesNotContain("v2");
        assertThat(TestHttp.viaRouter(slipway.routerPort(), "env.localhost").body()).contains("GREETING=");
    }

    private static String ok(String... args) {
        return Cli.ok(api, args);
    }

    /** A web app that answers with the environment it was given. */
    private static Path envApp() throws IOException {
        Path app = work.resolve("env-app");
        if (Files.isDirectory(app)) {
            return app;
        }
        Files.createDirectories(app);
        Files.writeString(app.resolve("Env.java"), """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                import java.nio.charset.StandardCharsets;

                public class Env {
                    public static void main(String[] args) throws Exception {
                        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 16);
                        server.createContext("/", exchange -> {
                            StringBuilder body = new StringBuilder();
                            for (String name : new String[] {"GREETING", "MEMORY_AVAILABLE", "DYNO"}) {
                                body.append(name).append('=').append(System.getenv(name)).append('\\n');
                            }
                            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
                            exchange.sendResponseHeaders(200, bytes.length);
                            exchange.getResponseBody().write(bytes);
                            exchange.close();
                        });
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
                        server.start();
                    }
                }
                """);
        return app;
    }

    /** Says it waits, waits until {@code signal} exists, and releases the Env app with a config var. */
    private static Path waitingBuildpack(Path signal) throws IOException {
        return buildpack("waiting", "echo '" + WAITING + "'\n"
                + "while [ ! -f '" + signal + "' ]; do sleep 0.05; done\n"
                + "echo '       signal seen'\n");
    }

    private static Path failingBuildpack() throws IOException {
        return buildpack("failing", "echo '       about to fail'\nexit 3\n");
    }

    private static Path buildpack(String name, String compile) throws IOException {
        Path bin = Files.createDirectories(work.resolve("buildpack-" + name).resolve("bin"));
        script(bin.resolve("detect"), "echo Waiter\n");
        script(bin.resolve("compile"), compile);
        script(bin.resolve("release"), "cat <<'YAML'\n---\nconfig_vars:\n  GREETING: hello from the buildpack\n"
                + "default_process_types:\n  web: java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 Env.java\n"
                + "YAML\n");
        return bin.getParent();
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
