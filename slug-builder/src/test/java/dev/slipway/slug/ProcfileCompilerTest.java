package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcfileCompilerTest {
    @TempDir
    Path tmp;

    private SlugStore store;
    private final List<String> output = new ArrayList<>();

    @BeforeEach
    void openStore() {
        store = new SlugStore(tmp.resolve("data"));
    }

    private CompiledSlug compile(AppDir app) {
        return compile(app, ProcfileCompiler.DEFAULT_MAX_SLUG_BYTES);
    }

    private CompiledSlug compile(AppDir app, long maxSlugBytes) {
        return new ProcfileCompiler(store, maxSlugBytes).compile(new BuildRequest("hello", app.root(), output::add));
    }

    /** Unpacks a stored slug with the real tar, as the Mesos fetcher does, and returns the sandbox. */
    private Path unpackWithRealTar(Slug slug) throws IOException {
        Path sandbox = Files.createDirectories(tmp.resolve("sandbox-" + slug.digest().substring(0, 8)));
        RealTar.extract(store.path(slug.digest()).orElseThrow(), sandbox);
        return sandbox;
    }

    private List<Path> storeFiles() throws IOException {
        try (Stream<Path> files = Files.list(store.directory())) {
            return files.toList();
        }
    }

    @Test
    void packsAProcfileAppIntoASlugThatUnpacksToApp() throws IOException {
        AppDir app = AppDir.procfileApp(tmp.resolve("src")).symlink("bin/current", "start").dir("empty");

        CompiledSlug compiled = compile(app);

        assertThat(compiled.processTypes()).containsExactly(
                Map.entry("web", "./bin/start"), Map.entry("worker", "./bin/work"));
        assertThat(store.exists(compiled.slug().digest())).isTrue();
        Path slugFile = store.path(compiled.slug().digest()).orElseThrow();
        assertThat(RealTar.list(slugFile)).allMatch(name -> name.startsWith("./app/"))
                .contains("./app/", "./app/Procfile", "./app/bin/start", "./app/lib/app.txt", "./app/empty/");

        Path sandbox = unpackWithRealTar(compiled.slug());
        assertThat(sandbox.resolve("app/Procfile")).hasContent("web: ./bin/start\nworker: ./bin/work");
        assertThat(sandbox.resolve("app/lib/app.txt")).hasContent("hello");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.resolve("app/bin/start"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.resolve("app/lib/app.txt"))))
                .isEqualTo("rw-r--r--");
        assertThat(Files.readSymbolicLink(sandbox.resolve("app/bin/current"))).isEqualTo(Path.of("start"));
        assertThat(sandbox.resolve("app/empty")).isEmptyDirectory();
    }

    @Test
    void writesHerokuStyleOutput() {
        CompiledSlug compiled = compile(AppDir.procfileApp(tmp.resolve("src")));

        assertThat(output).containsExactly(
                "-----> Procfile app detected",
                "-----> Compressing... done, " + ByteSize.format(compiled.slug().size()),
                "-----> Launching... process types: web, worker");
    }

    @Test
    void theSameContentGivesTheSameDigestWhateverTheTimesAndOrderOfCreation() throws IOException {
        AppDir first = AppDir.procfileApp(tmp.resolve("first"));
        AppDir second = AppDir.at(tmp.resolve("second"))
                .file("lib/app.txt", "hello\n")
                .executable("bin/work", "#!/bin/sh\nwhile true; do read x; done\n")
                .executable("bin/start", "#!/bin/sh\nexec python3 -m http.server \"$PORT\"\n")
                .file("Procfile", "web: ./bin/start\nworker: ./bin/work\n");
        Files.setLastModifiedTime(second.root().resolve("Procfile"), FileTime.from(Instant.parse("2011-05-01T10:00:00Z")));

        Slug a = compile(first).slug();
        Slug b = compile(second).slug();

        assertThat(b).isEqualTo(a);
        assertThat(storeFiles()).hasSize(1);
    }

    @Test
    void differentContentGivesADifferentDigest() {
        Slug a = compile(AppDir.procfileApp(tmp.resolve("a"))).slug();
        Slug b = compile(AppDir.procfileApp(tmp.resolve("b")).file("lib/app.txt", "hello!\n")).slug();
        Slug c = compile(AppDir.procfileApp(tmp.resolve("c")).executable("lib/app.txt", "hello\n")).slug();

        assertThat(a.digest()).isNotEqualTo(b.digest()).isNotEqualTo(c.digest());
    }

    @Test
    void leavesOutWhatSlugignoreLists() throws IOException {
        AppDir app = AppDir.procfileApp(tmp.resolve("src"))
                .file(".slugignore", "# not needed at run time\n*.log\n/spec\ncache/\n!important.log\n")
                .file("debug.log", "x")
                .file("lib/deep/trace.log", "x")
                .file("spec/app_spec.rb", "x")
                .file("lib/spec/kept.rb", "kept")
                .file("tmp/cache/blob", "x")
                .file("cache", "a file named cache is kept");

        CompiledSlug compiled = compile(app);

        Path sandbox = unpackWithRealTar(compiled.slug());
        assertThat(sandbox.resolve("app/debug.log")).doesNotExist();
        assertThat(sandbox.resolve("app/lib/deep/trace.log")).doesNotExist();
        assertThat(sandbox.resolve("app/spec")).doesNotExist();
        assertThat(sandbox.resolve("app/tmp/cache")).doesNotExist();
        assertThat(sandbox.resolve("app/tmp")).isEmptyDirectory();
        assertThat(sandbox.resolve("app/lib/spec/kept.rb")).hasContent("kept");
        assertThat(sandbox.resolve("app/cache")).hasContent("a file named cache is kept");
        assertThat(sandbox.resolve("app/Procfile")).exists();
        assertThat(output).contains(
                " !     .slugignore line 5: negated patterns are not supported, skipped: !important.log",
                "       4 paths left out by .slugignore");
    }

    @Test
    void refusesAnAppWithoutAProcfile() throws IOException {
        AppDir app = AppDir.at(tmp.resolve("src")).file("index.html", "<h1>hi</h1>").file("procfile", "web: x");

        assertThatThrownBy(() -> compile(app))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("no Procfile found at the root of the app: add one, e.g. `web: ./start.sh`");
        assertThat(storeFiles()).isEmpty();
    }

    @Test
    void refusesAProcfileThatIsADirectoryOrASymlinkOutOfTheApp() throws IOException {
        Files.writeString(tmp.resolve("outside"), "web: x\n");

        assertThatThrownBy(() -> compile(AppDir.at(tmp.resolve("a")).dir("Procfile")))
                .isInstanceOf(BuildFailed.class).hasMessage("Procfile must be a file");
        assertThatThrownBy(() -> compile(AppDir.at(tmp.resolve("b")).symlink("Procfile", "../outside")))
                .isInstanceOf(BuildFailed.class).hasMessage("Procfile is a symlink that points outside the app");
        assertThat(storeFiles()).isEmpty();
    }

    @Test
    void followsAProcfileSymlinkInsideTheApp() {
        AppDir app = AppDir.at(tmp.resolve("src")).file("config/Procfile.prod", "web: ./serve\n")
                .symlink("Procfile", "config/Procfile.prod");

        assertThat(compile(app).processTypes()).containsExactly(Map.entry("web", "./serve"));
    }

    @Test
    void aMalformedProcfileFailsTheBuildNamingTheLine() throws IOException {
        AppDir app = AppDir.at(tmp.resolve("src")).file("Procfile", "web: ./start\nthis is not it\n");

        assertThatThrownBy(() -> compile(app))
                .isInstanceOf(BuildFailed.class)
                .hasMessageStartingWith("Procfile line 2 is not `name: command`");
        assertThat(storeFiles()).isEmpty();
    }

    @Test
    void refusesASlugOverTheSizeLimitAndStoresNothing() throws IOException {
        byte[] noise = new byte[256 * 1024];
        new Random(42).nextBytes(noise);
        AppDir app = AppDir.procfileApp(tmp.resolve("src")).bytes("assets/video.bin", noise);

        assertThatThrownBy(() -> compile(app, 64 * 1024))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("the compressed slug is larger than the 64 KB limit: list what the app does not need"
                        + " at run time in .slugignore");
        assertThat(storeFiles()).isEmpty();

        app.file(".slugignore", "assets/\n");
        assertThat(compile(app, 64 * 1024).slug().size()).isLessThan(64 * 1024);
    }

    @Test
    void skipsSymlinksThatPointOutsideTheAppWithAWarning() throws IOException {
        AppDir app = AppDir.procfileApp(tmp.resolve("src"))
                .symlink("etc-passwd", "/etc/passwd")
                .symlink("lib/up", "../../outside")
                .symlink("lib/fine", "../Procfile");

        CompiledSlug compiled = compile(app);

        assertThat(output).contains(
                " !     skipping symlink etc-passwd -> /etc/passwd: it points outside the app",
                " !     skipping symlink lib/up -> ../../outside: it points outside the app");
        Path sandbox = unpackWithRealTar(compiled.slug());
        assertThat(sandbox.resolve("app/etc-passwd")).doesNotExist();
        assertThat(Files.exists(sandbox.resolve("app/lib/up"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(sandbox.resolve("app/lib/fine")).hasContent("web: ./bin/start\nworker: ./bin/work");
        Files.delete(app.root().resolve("etc-passwd")); // spares a warning from JUnit's @TempDir cleanup
    }

    @Test
    void keepsLongAndNonAsciiNames() throws IOException {
        String longName = "deep/" + "d".repeat(120) + "/" + "f".repeat(120) + ".txt";
        AppDir app = AppDir.procfileApp(tmp.resolve("src")).file(longName, "long").file("café/ünï.txt", "utf8");

        Path sandbox = unpackWithRealTar(compile(app).slug());

        assertThat(sandbox.resolve("app").resolve(longName)).hasContent("long");
        assertThat(sandbox.resolve("app/café/ünï.txt")).hasContent("utf8");
    }
}
