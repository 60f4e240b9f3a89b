package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heroku's manners of the CLI against all of Slipway in this JVM: {@code --json} on every listing
 * verb, the app taken from the {@code slipway} git remote or {@code $SLIPWAY_APP}, errors that
 * name the next step with their exit codes, and no ANSI codes in piped output. Commands that
 * depend on the working directory or the environment run as a real {@code slipway} process.
 */
class CliMannersEndToEndTest {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;
    static String api;

    @BeforeAll
    static void givenTwoApps() {
        api = slipway.api();
        Cli.ok(api, "apps:create", "manners");
        Cli.ok(api, "apps:create", "second");
    }

    @Test
    void everyListingVerbPrintsTheApisJsonAndNothingElseWithJson() throws Exception {
        JsonNode apps = json(Cli.ok(api, "apps", "--json"));
        assertThat(apps.isArray()).isTrue();
        assertThat(apps.findValuesAsText("name")).contains("manners", "second");

        JsonNode info = json(Cli.ok(api, "apps:info", "-a", "manners", "--json"));
        assertThat(info.path("name").asText()).isEqualTo("manners");
        assertThat(info.path("web_url").asText()).startsWith("http://manners.localhost:");

        for (String verb : List.of("ps", "releases", "builds", "buildpacks")) {
            assertThat(json(Cli.ok(api, verb, "-a", "manners", "--json")).isArray()).as(verb).isTrue();
        }
    }

    @Test
    void humanListsAreAlignedTablesUnderAHeader() {
        String apps = Cli.ok(api, "apps");

        assertThat(apps).startsWith("Name ").containsPattern("(?m)^manners\\s+not deployed\\s+http://manners\\.localhost:\\d+/$");
        List<String> lines = apps.lines().toList();
        int urlColumn = lines.get(0).indexOf("Web URL");
        assertThat(lines).allSatisfy(line -> assertThat(line.indexOf("http") == -1 || line.indexOf("http") == urlColumn)
                .as(line).isTrue());
    }

    @Test
    void theAppComesFromTheSlipwayGitRemoteOfTheCurrentDirectory() throws Exception {
        Path repository = Files.createDirectories(work.resolve("with-remote/src"));
        git(repository.getParent(), "init", "-q");
        git(repository.getParent(), "remote", "add", "slipway", api + "/git/manners.git");

        Process info = slipway(repository, Map.of(), "apps:info", "--json");

        assertThat(info.exitCode).as(info.toString()).isZero();
        assertThat(json(info.out).path("name").asText()).isEqualTo("manners");
        Process named = slipway(repository, Map.of(), "apps:info", "-a", "second", "--json");
        assertThat(json(named.out).path("name").asText()).as("-a wins over the remote").isEqualTo("second");
    }

    @Test
    void slipwayAppNamesTheAppWhenThereIsNoRemote() throws Exception {
        Process info = slipway(Files.createDirectories(work.resolve("env-only")), Map.of("SLIPWAY_APP", "second"),
                "apps:info");

        assertThat(info.exitCode).as(info.toString()).isZero();
        assertThat(info.out).startsWith("=== second\n");
    }

    @Test
    void withoutAnAppTheErrorNamesBothWaysToGiveOneAndExitsTwo() throws Exception {
        Process ps = slipway(Files.createDirectories(work.resolve("no-repository")), Map.of(), "ps");

        assertThat(ps.exitCode).as(ps.toString()).isEqualTo(2);
        assertThat(ps.out).isEmpty();
        assertThat(ps.err).contains("pass -a APP").contains("slipway git:remote -a APP");
    }

    @Test
    void errorsNameTheNextStepWithTheirExitCodes() {
        Cli.Result unreachable = Cli.run("http://127.0.0.1:1", "apps");
        Cli.Result unknownVerb = Cli.run(api, "apps:lst");
        Cli.Result unknownApp = Cli.run(api, "ps", "-a", "nobody");

        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the Slipway API at http://127.0.0.1:1/")
                .contains("is `slipway up` running?");
        assertThat(unknownVerb.exitCode()).isEqualTo(2);
        assertThat(unknownVerb.err()).contains("apps:lst").contains("slipway --help");
        assertThat(unknownApp.exitCode()).isEqualTo(1);
        assertThat(unknownApp.err()).contains("nobody");
    }

    @Test
    void openPrintsTheAppsUrl() throws Exception {
        String url = json(Cli.ok(api, "apps:info", "-a", "manners", "--json")).path("web_url").asText();

        Process open = slipway(Files.createDirectories(work.resolve("open")), Map.of("SLIPWAY_APP", "manners"), "open");

        assertThat(open.exitCode).as(open.toString()).isZero();
        assertThat(open.out).isEqualTo(url + "\n");
    }

    @Test
    void pipedOutputHasNoAnsiCodes() throws Exception {
        Path dir = Files.createDirectories(work.resolve("piped"));
        List<Process> runs = new ArrayList<>();
        runs.add(slipway(dir, Map.of("SLIPWAY_APP", "manners"), "apps"));
        runs.add(slipway(dir, Map.of("SLIPWAY_APP", "manners"), "ps"));
        runs.add(slipway(dir, Map.of("SLIPWAY_APP", "nobody"), "releases"));

        assertThat(runs).allSatisfy(run -> assertThat(run.out + run.err).as(run.toString()).doesNotContain("\u001b"));
        assertThat(runs.get(0).out).contains("manners");
        for (String verb : List.of("apps", "builds", "releases", "ps")) {
            Cli.Result result = Cli.run(api, verb, "-a", "manners");
            assertThat(result.out() + result.err()).as(verb).doesNotContain("\u001b");
        }
    }

    @Test
    void onATerminalHeadersAreBoldUnlessNoColorIsSet() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script gives a terminal");
        Path dir = Files.createDirectories(work.resolve("terminal"));

        Process coloured = onATerminal(dir, Map.of(), "apps");
        Process plain = onATerminal(dir, Map.of("NO_COLOR", "1"), "apps");

        assertThat(coloured.out).as(coloured.toString()).contains("\u001b[1mName\u001b[0m").contains("manners");
        assertThat(plain.out).as(plain.toString()).doesNotContain("\u001b").contains("Name").contains("manners");
    }

    /** The command with a pseudo-terminal as its stdin and stdout, as when a person types it. */
    private static Process onATerminal(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> line = new ArrayList<>(javaCommand());
        line.addAll(List.of(args));
        line.addAll(List.of("--api", api));
        String quoted = String.join(" ", line.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
        return run(List.of("/usr/bin/script", "-qec", quoted, "/dev/null"), dir, env);
    }

    private static JsonNode json(String text) throws IOException {
        return STRICT.readTree(text);
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        java.lang.Process git = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(String.join(" ", command)).isZero();
    }

    /** What a {@code slipway} process printed, run in {@code dir} with a clean environment plus {@code env}. */
    private record Process(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Process slipway(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of(args));
        command.addAll(List.of("--api", api));
        return run(command, dir, env);
    }

    private static List<String> javaCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    private static Process run(List<String> command, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        // Neither an app nor an API from the machine running the tests, and no desktop for `open`.
        builder.environment().keySet().removeAll(List.of("SLIPWAY_APP", "SLIPWAY_API", "DISPLAY", "WAYLAND_DISPLAY",
                "NO_COLOR"));
        builder.environment().putIfAbsent("TERM", "xterm");
        builder.environment().putAll(env);
        Path out = Files.createTempFile(work, "out-", ".txt");
        Path err = Files.createTempFile(work, "err-", ".txt");
        java.lang.Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Process(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
