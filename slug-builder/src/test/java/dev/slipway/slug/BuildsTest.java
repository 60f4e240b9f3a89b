package dev.slipway.slug;

import static dev.slipway.slug.Tarball.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildsTest {
    @TempDir
    Path dataDir;

    private SlugStore store;
    private Builds builds;
    private final List<String> output = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new SlugStore(dataDir);
        builds = new Builds(dataDir, new ProcfileCompiler(store));
    }

    private CompiledSlug build(byte[] upload) {
        return builds.build("hello", new ByteArrayInputStream(upload), output::add);
    }

    @Test
    void buildsAnUploadMadeByRealTarAndCleansUp() throws IOException {
        Path app = AppDir.procfileApp(dataDir.resolve("checkout")).root();

        CompiledSlug compiled = build(RealTar.create(app));

        assertThat(compiled.processTypes()).containsExactly(
                Map.entry("web", "./bin/start"), Map.entry("worker", "./bin/work"));
        assertThat(store.exists(compiled.slug().digest())).isTrue();
        assertThat(dataDir.resolve("builds")).isEmptyDirectory();
        assertThat(output).first().isEqualTo("-----> Procfile app detected");
    }

    @Test
    void rebuildingTheSameSourceGivesTheSameSlug() {
        Slug first = build(anApp().tgz()).slug();
        Slug second = build(anApp().tgz()).slug();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void anInvalidUploadEndsTheOutputAndLeavesNothingBehind() {
        assertThatThrownBy(() -> build(anApp().file("../escape", "x").tgz()))
                .isInstanceOf(InvalidSource.class)
                .hasMessage("upload entry '../escape' climbs out of the source directory");

        assertThat(output).containsExactly(" !     upload entry '../escape' climbs out of the source directory");
        assertThat(dataDir.resolve("builds")).isEmptyDirectory();
        assertThat(dataDir.resolve("slugs")).isEmptyDirectory();
        assertThat(dataDir.resolve("escape")).doesNotExist();
    }

    @Test
    void aFailedBuildEndsTheOutputAndLeavesNothingBehind() {
        byte[] noProcfile = Tarball.aTarball().file("index.html", "<h1>hi</h1>").tgz();

        assertThatThrownBy(() -> build(noProcfile)).isInstanceOf(BuildFailed.class);

        assertThat(output).containsExactly(" !     " + ProcfileCompiler.NO_PROCFILE);
        assertThat(dataDir.resolve("builds")).isEmptyDirectory();
        assertThat(dataDir.resolve("slugs")).isEmptyDirectory();
    }

    @Test
    void aCompilerThatThrowsStillHasItsSourceRemoved() {
        Builds failing = new Builds(dataDir, request -> {
            assertThat(request.sourceDir().resolve("Procfile")).exists();
            throw new IllegalStateException("compiler bug");
        });

        assertThatThrownBy(() -> failing.build("hello", new ByteArrayInputStream(anApp().tgz()), output::add))
                .isInstanceOf(IllegalStateException.class);

        assertThat(dataDir.resolve("builds")).isEmptyDirectory();
        assertThat(output).isEmpty();
    }

    @Test
    void buildsOfDifferentAppsRunSideBySide() throws Exception {
        byte[] upload = anApp().file("big.txt", "x".repeat(500_000)).tgz();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<CompiledSlug>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String app = "app" + i;
                results.add(pool.submit(() -> builds.build(app, new ByteArrayInputStream(upload), line -> { })));
            }
            for (var result : results) {
                assertThat(result.get(20, java.util.concurrent.TimeUnit.SECONDS).slug())
                        .isEqualTo(results.get(0).get().slug());
            }
        } finally {
            pool.shutdownNow();
        }
        try (var slugs = Files.list(dataDir.resolve("slugs"))) {
            assertThat(slugs).hasSize(1);
        }
        assertThat(dataDir.resolve("builds")).isEmptyDirectory();
    }
}
