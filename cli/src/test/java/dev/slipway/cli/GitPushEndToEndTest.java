package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code git push slipway main} as a Heroku user types it: {@code git:remote} in a git copy of the
 * procfile-hello example, then the real git client pushes it to all of Slipway in this JVM; the
 * build streams back, and the app answers through the router. Git runs with no global
 * configuration and without {@code slipway} on its PATH.
 */
class GitPushEndToEndTest {
    static final Path EXAMPLE = Path.of("../examples/procfile-hello").toAbsolutePath().normalize();

    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;

    @Test
    void gitRemoteThenGitPushDeploysTheExampleAndItAnswersThroughTheRouter() throws Exception {
        String api = slipway.api();
        Cli.ok(api, "apps:create", "pushed-hello");
        Path repo = work.resolve("procfile-hello");
        copy(EXAMPLE, repo);
        git(repo, Map.of(), "init", "-q", "-b", "main");
        git(repo, Map.of(), "add", "-A");
        git(repo, Map.of(), "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", "hello");

        String added = Cli.ok(api, "git:remote", "-a", "pushed-hello", "-C", repo.toString());
        String updated = Cli.ok(api, "git:remote", "-a", "pushed-hello", "-C", repo.toString());
        Result pushed = git(repo, Map.of(), "push", "slipway", "main");

        assertThat(added).contains("Added git remote slipway -> " + api.replaceAll("/$", "")
                + "/git/pushed-hello.git");
        assertThat(updated).contains("Updated git remote slipway");
        assertThat(pushed.exitCode()).as(pushed.output()).isZero();
        assertThat(pushed.output()).contains("remote: -----> Pushed main (", "remote: -----> Procfile app detected",
                "remote:        Released v1",
                "remote:        http://pushed-hello.localhost:" + slipway.routerPort() + "/ deployed to Slipway");
        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> TestHttp.viaRouter(slipway.routerPort(), "pushed-hello.localhost"),
                        response -> response.statusCode() == 200);
        HttpResponse<String> answer = TestHttp.viaRouter(slipway.routerPort(), "pushed-hello.localhost");
        assertThat(answer.body()).isEqualTo("Hello from Slipway! (web.1)\n");
    }

    @Test
    void theCredentialHelperGitRunsAnswersWithTheTokenAndNothingWithoutOne() throws Exception {
        String api = slipway.api();
        Cli.ok(api, "apps:create", "credentials");
        Path repo = work.resolve("credentials");
        Files.createDirectories(repo);
        git(repo, Map.of(), "init", "-q", "-b", "main");
        Cli.ok(api, "git:remote", "-a", "credentials", "-C", repo.toString());
        String request = "url=" + api.replaceAll("/$", "") + "/git/credentials.git\n\n";

        Result withToken = gitWithInput(repo, Map.of("SLIPWAY_TOKEN", "tok-123"), request, "credential", "fill");
        Result stored = gitWithInput(repo, Map.of("SLIPWAY_TOKEN", ""), request, "credential", "fill");
        Path noCredentials = Files.createDirectories(work.resolve("home-without-credentials"));
        Result without = gitWithInput(repo, Map.of("SLIPWAY_TOKEN", "", "SLIPWAY_HOME", noCredentials.toString()), request,
                "credential", "fill");

        assertThat(withToken.exitCode()).as(withToken.output()).isZero();
        assertThat(withToken.output()).contains("username=slipway\n", "password=tok-123\n");
        // Without $SLIPWAY_TOKEN: the token stored for the API's URL, as every other command sends.
        assertThat(stored.exitCode()).as(stored.output()).isZero();
        assertThat(stored.output()).contains("password=" + slipway.adminToken() + "\n");
        assertThat(without.exitCode()).as("git asks no more and gives up: %s", without.output()).isNotZero();
        assertThat(without.output()).doesNotContain("password=");
    }

    record Result(int exitCode, String output) {
    }

    private static Result git(Path dir, Map<String, String> env, String... args) throws Exception {
        return gitWithInput(dir, env, "", args);
    }

    /** Runs git in {@code dir} with {@code input} on its stdin, as a user with no git configuration of their own. */
    private static Result gitWithInput(Path dir, Map<String, String> env, String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Path home = Files.createDirectories(work.resolve("home"));
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", home.toString());
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().remove("SLIPWAY_LAUNCHER");
        builder.environment().putAll(env);
        Process process = builder.start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
