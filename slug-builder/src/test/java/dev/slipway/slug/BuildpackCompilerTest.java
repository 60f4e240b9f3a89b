package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildpackCompilerTest {
    /** The repository's built-in buildpacks; Maven runs tests in the module's directory. */
    private static final Path BUILT_INS = Path.of("").toAbsolutePath().getParent().resolve("buildpacks");

    @TempDir
    Path tmp;

    private Path dataDir;
    private SlugStore store;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private int builds;

    @BeforeEach
    void openStore() {
        dataDir = tmp.resolve("data");
        store = new SlugStore(dataDir);
    }

    // --- scenario language

    private AppDir anApp() {
        return AppDir.at(tmp.resolve("src-" + ++builds));
    }

    /** A third-party buildpack in a local directory; every script starts with bash strict mode. */
    private ABuildpack aBuildpack(String name) {
        return new ABuildpack(AppDir.at(tmp.resolve("buildpacks").resolve(name)))
                .detect("echo " + name)
                .compile("true")
                .release("echo '--- {}'");
    }

    private record ABuildpack(AppDir dir) {
        ABuildpack detect(String script) {
            return step("detect", script);
        }

        ABuildpack compile(String script) {
            return step("compile", script);
        }

        ABuildpack release(String script) {
            return step("release", script);
        }

        private ABuildpack step(String step, String script) {
            dir.executable("bin/" + step, "#!/usr/bin/env bash\nset -euo pipefail\n" + script + "\n");
            return this;
        }

        String path() {
            return dir.root().toString();
        }
    }

    private CompiledSlug build(AppDir app, String... buildpacks) {
        return build(app, Duration.ofMinutes(1), Map.of(), buildpacks);
    }

    private CompiledSlug build(AppDir app, Duration limit, Map<String, String> config, String... buildpacks) {
        return new BuildpackCompiler(store, dataDir, BUILT_INS, List.of(buildpacks), limit,
                ProcfileCompiler.DEFAULT_MAX_SLUG_BYTES, new HostSandbox())
                .compile(new BuildRequest("hello", app.root(), output::add, config, List.of()));
    }

    private List<String> storedSlugs() throws IOException {
        try (Stream<Path> files = Files.list(store.directory())) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    // --- detection of the built-ins

    @Test
    void detectsTheStaticBuildpackForAnAppWithAnIndexHtml() {
        AppDir app = anApp().file("index.html", "<h1>hello</h1>\n");

        CompiledSlug compiled = build(app);

        assertThat(output).contains("-----> Static app detected", "-----> Installing the static file server");
        assertThat(compiled.processTypes()).containsExactly(Map.entry("web", "java -cp .static-server StaticServer"));
        assertThat(RealTar.list(store.path(compiled.slug().digest()).orElseThrow()))
                .contains("./app/index.html", "./app/.static-server/StaticServer.class");
    }

    @Test
    void theStaticServerIsCompiledOnceInTheAppsBuildCacheAndCopiedFromThereByLaterBuilds() throws Exception {
        build(anApp().file("index.html", "<h1>one</h1>\n"));
        Path cached;
        try (var found = Files.walk(dataDir.resolve("cache"))) {
            cached = found.filter(p -> p.getFileName().toString().equals("StaticServer.class")).findFirst().orElseThrow();
        }
        java.nio.file.attribute.FileTime compiledAt = Files.getLastModifiedTime(cached);

        CompiledSlug second = build(anApp().file("index.html", "<h1>two</h1>\n"));

        assertThat(Files.getLastModifiedTime(cached)).as("not compiled again").isEqualTo(compiledAt);
        assertThat(RealTar.list(store.path(second.slug().digest()).orElseThrow()))
                .contains("./app/.static-server/StaticServer.class");
    }

    @Test
    void detectsTheProcfileBuildpackForAnAppWithOnlyAProcfile() {
        AppDir app = AppDir.procfileApp(tmp.resolve("src"));

        CompiledSlug compiled = build(app);

        assertThat(output).contains("-----> Procfile app detected");
        assertThat(compiled.processTypes()).containsExactly(
                Map.entry("web", "./bin/start"), Map.entry("worker", "./bin/work"));
        assertThat(store.exists(compiled.slug().digest())).isTrue();
    }

    @Test
    void failsNamingTheCauseWhenNoBuildpackDetectsTheApp() throws IOException {
        AppDir app = anApp().file("README", "nothing to run\n");

        assertThatThrownBy(() -> build(app))
                .isInstanceOf(BuildFailed.class)
                .hasMessageContaining("no buildpack detected this app (tried nodejs, java-maven, python, static,"
                        + " procfile)");
        assertThat(storedSlugs()).isEmpty();
    }

    // --- third-party buildpacks

    @Test
    void runsALocalBuildpackWithItsThreeArgumentsAndStreamsItsOutputInOrder() throws IOException {
        ABuildpack buildpack = aBuildpack("greeter")
                .detect("echo Greeter")
                .compile("""
                        echo "-----> Compiling"
                        printf '%s\\n' "$@" > "$1/args"
                        echo "       greeting: $(cat "$3/GREETING")"
                        echo "       on stderr" >&2
                        echo "       done"
                        """)
                .release("printf -- '---\\ndefault_process_types:\\n  web: ./serve\\nconfig_vars:\\n  MODE: fast\\n'");
        AppDir app = anApp().file("main.txt", "hi\n").executable("serve", "#!/bin/sh\n");

        CompiledSlug compiled = build(app, Duration.ofMinutes(1), Map.of("GREETING", "hola"), buildpack.path());

        assertThat(output).containsSubsequence("-----> Greeter app detected", "-----> Compiling",
                "       greeting: hola", "       on stderr", "       done", "-----> Discovering process types");
        assertThat(Files.readAllLines(app.root().resolve("args"))).satisfiesExactly(
                build -> assertThat(build).isEqualTo(app.root().toString()),
                cache -> assertThat(cache).isEqualTo(dataDir.resolve("cache/hello").toString()),
                env -> assertThat(env).startsWith(dataDir.resolve("tmp/env-").toString()));
        assertThat(compiled.processTypes()).containsExactly(Map.entry("web", "./serve"));
        assertThat(compiled.configVars()).containsExactly(Map.entry("MODE", "fast"));
    }

    @Test
    void failsNamingTheBuildpackWhenItsCompileExitsNonZero() throws IOException {
        ABuildpack buildpack = aBuildpack("broken").compile("echo '       oops'; exit 3");

        assertThatThrownBy(() -> build(anApp(), buildpack.path()))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("buildpack " + buildpack.path() + " failed: bin/compile exited 3");
        assertThat(output).contains("       oops");
        assertThat(storedSlugs()).isEmpty();
    }

    @Test
    void killsTheBuildsProcessTreeWhenItPassesTheTimeLimit() throws IOException {
        ABuildpack buildpack = aBuildpack("slow").compile("sleep 600 & echo $! > \"$2/pid\"\nwait");

        assertThatThrownBy(() -> build(anApp(), Duration.ofSeconds(1), Map.of(), buildpack.path()))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("build timed out after 1 s");
        long sleeper = Long.parseLong(Files.readString(dataDir.resolve("cache/hello/pid")).strip());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
        assertThat(storedSlugs()).isEmpty();
    }

    @Test
    void failsNamingTheBuildpackWhenItsReleaseYamlIsMalformed() throws IOException {
        ABuildpack buildpack = aBuildpack("sloppy").release("echo 'default_process_types: [web: oops'");

        assertThatThrownBy(() -> build(anApp().file("Procfile", "web: ./run\n"), buildpack.path()))
                .isInstanceOf(BuildFailed.class)
                .hasMessageStartingWith("buildpack " + buildpack.path() + ": bin/release printed malformed YAML");
        assertThat(storedSlugs()).isEmpty();
    }

    @Test
    void failsWhenThereIsNoProcessTypeAtAll() throws IOException {
        assertThatThrownBy(() -> build(anApp().file("main.txt", "hi\n"), aBuildpack("quiet").path()))
                .isInstanceOf(BuildFailed.class)
                .hasMessageStartingWith("no process types");
        assertThat(storedSlugs()).isEmpty();
    }

    // --- the app's own files

    @Test
    void keepsTheCacheDirBetweenBuildsOfTheSameApp() {
        ABuildpack buildpack = aBuildpack("counter").compile("""
                n=$(cat "$2/count" 2>/dev/null || echo 0)
                echo $((n + 1)) > "$2/count"
                echo "       build number $((n + 1))"
                """);

        build(anApp().file("Procfile", "web: ./run\n").executable("run", "#!/bin/sh\n"), buildpack.path());
        build(anApp().file("Procfile", "web: ./run\n").executable("run", "#!/bin/sh\n"), buildpack.path());

        assertThat(output).containsSubsequence("       build number 1", "       build number 2");
    }

    @Test
    void theProcfileOverridesTheBuildpacksDefaultProcessTypes() {
        ABuildpack buildpack = aBuildpack("defaults").release(
                "printf -- '---\\ndefault_process_types:\\n  web: ./default-web\\n  worker: ./default-worker\\n'");
        AppDir app = anApp().file("Procfile", "web: ./custom-web\n").executable("custom-web", "#!/bin/sh\n")
                .executable("default-worker", "#!/bin/sh\n");

        CompiledSlug compiled = build(app, buildpack.path());

        assertThat(compiled.processTypes()).containsOnly(
                Map.entry("web", "./custom-web"), Map.entry("worker", "./default-worker"));
    }

    @Test
    void aBuildpacksFileChoosesTheBuildpacksInsteadOfDetection() {
        ABuildpack first = aBuildpack("first").compile("echo '       first ran'");
        AppDir app = anApp().file("index.html", "<h1>hello</h1>\n")
                .file(".buildpacks", first.path() + "\nprocfile\n")
                .file("Procfile", "web: ./run\n").executable("run", "#!/bin/sh\n");

        build(app);

        assertThat(output).containsSubsequence("-----> first app detected", "       first ran",
                "-----> Procfile app detected").doesNotContain("-----> Static app detected");
    }

    @Test
    void removesWhatSlugignoreListsBeforeCompiling() {
        ABuildpack buildpack = aBuildpack("lister").compile("ls -A \"$1\" | sort | sed 's/^/       /'");
        AppDir app = anApp().file("Procfile", "web: ./run\n").executable("run", "#!/bin/sh\n")
                .file(".slugignore", "*.log\n")
                .file("debug.log", "noise\n").file("keep.txt", "yes\n");

        build(app, buildpack.path());

        assertThat(output).contains("       keep.txt").doesNotContain("       debug.log");
    }

    // --- several buildpacks

    @Test
    void eachBuildpacksExportFileIsSourcedBeforeTheNextBuildpackCompiles() {
        ABuildpack first = aBuildpack("installer")
                .compile("echo 'export FROM_FIRST=\"installed by the first\"' > \"$(dirname \"$0\")/../export\"");
        ABuildpack second = aBuildpack("user")
                .compile("echo \"       second sees: ${FROM_FIRST:-nothing}\"\n[ \"${FROM_FIRST:-}\" = 'installed by the first' ]")
                .release("printf -- '---\\ndefault_process_types:\\n  web: ./serve\\n'");
        AppDir app = anApp().executable("serve", "#!/bin/sh\n");

        build(app, first.path(), second.path());

        assertThat(output).contains("       second sees: installed by the first");
        // The buildpack ran from a copy: its own directory is as it was.
        assertThat(first.dir().root().resolve("export")).doesNotExist();
    }

    @Test
    void theConfigVarsReachEachBuildpackAsOneFilePerVarInEnvDir() {
        ABuildpack reader = aBuildpack("reader")
                .compile("echo \"       files: $(ls \"$3\" | tr '\\n' ' ')\"\n[ \"$(cat \"$3/DATABASE_URL\")\" = 'postgres://x' ]")
                .release("printf -- '---\\ndefault_process_types:\\n  web: ./serve\\n'");
        AppDir app = anApp().executable("serve", "#!/bin/sh\n");

        build(app, Duration.ofMinutes(1), Map.of("DATABASE_URL", "postgres://x", "FOO", "bar"), reader.path());

        assertThat(output).contains("       files: DATABASE_URL FOO ");
    }

    // --- programs that are not there

    @Test
    void aProcessTypeRunningAProgramThatIsNotInstalledIsRefusedBeforeAnythingIsStored() throws IOException {
        AppDir app = anApp().file("Procfile", "web: PORT_HINT=1 gunicorn-not-installed-here app.wsgi\n"
                + "worker: ./bin/missing --fast\nclock: /app/bin/clock\n").file("requirements.txt", "flask\n");

        assertThatThrownBy(() -> build(app, aBuildpack("plain").path()))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("Procfile process 'web' runs 'gunicorn-not-installed-here', which is not installed: add it"
                        + " to requirements.txt; Procfile process 'worker' runs './bin/missing', which is not an"
                        + " executable file in the app: fix the path, or `chmod +x` it; Procfile process 'clock' runs"
                        + " '/app/bin/clock', which is not an executable file in the app: fix the path, or `chmod +x`"
                        + " it");
        assertThat(storedSlugs()).isEmpty();
    }

    @Test
    void programsOnThePathTheProfileScriptsSetBuiltinsAndWordsTheShellExpandsAreAccepted() {
        ABuildpack installer = aBuildpack("installer").compile("""
                mkdir -p "$1/.tools/bin" "$1/.profile.d"
                printf '#!/bin/sh\\necho served\\n' > "$1/.tools/bin/serve-it"
                chmod +x "$1/.tools/bin/serve-it"
                echo 'export PATH="$HOME/.tools/bin:$PATH"' > "$1/.profile.d/tools.sh"
                """);
        AppDir app = anApp().file("Procfile", """
                web: serve-it --port $PORT
                worker: cd lib && exec ./work
                clock: $HOME/.tools/bin/serve-it
                release: /app/.tools/bin/serve-it
                once: "quoted program" arg
                """);

        CompiledSlug compiled = build(app, installer.path());

        assertThat(compiled.processTypes()).containsOnlyKeys("web", "worker", "clock", "release", "once");
    }
}
