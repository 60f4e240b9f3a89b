package dev.slipway.cli.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.cli.DockerForTests;
import dev.slipway.docker.DockerEngine;
import dev.slipway.slug.BuildFailed;
import dev.slipway.slug.BuildRequest;
import dev.slipway.slug.BuildpackCompiler;
import dev.slipway.slug.CompiledSlug;
import dev.slipway.slug.ContainerSandbox;
import dev.slipway.slug.SlugStore;
import dev.slipway.slug.StackImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in python buildpack in containers of the stack image, with pip reading a package index
 * this test serves on loopback (the build container shares this machine's network), from wheels the
 * test makes: no PyPI. Needs a Docker engine (skipped without one, unless
 * {@code SLIPWAY_REQUIRE_DOCKER} is set).
 */
class PythonBuildpackTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private static DockerClient docker;
    private static String image;
    private static PackageIndex index;

    @TempDir
    Path tmp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private int builds;

    @BeforeAll
    static void engineAndIndex() throws IOException {
        docker = DockerForTests.engine();
        image = StackImage.ensure(REPOSITORY.resolve("stack"), line -> System.err.println("[stack] " + line));
        index = PackageIndex.serving(StandInGunicorn.wheel(),
                Wheel.of("greeting-words", "1.0").file("greeting_words.py", "HELLO = 'Hello from Python'\n"),
                Wheel.of("Django", "5.0").file("django/__init__.py", "VERSION = (5, 0)\n"));
    }

    @AfterAll
    static void close() {
        if (index != null) {
            index.close();
        }
        if (docker != null) {
            DockerEngine.close(docker);
        }
    }

    // --- scenario language

    /** An app shaped as heroku/python-getting-started, with these files added or replaced. */
    private Path aGettingStartedApp(Map<String, String> files) {
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "requirements.txt", "gunicorn==" + StandInGunicorn.VERSION + "\ngreeting-words\n",
                "runtime.txt", "python-3.11\n",
                "Procfile", "web: gunicorn hello.wsgi --log-file -\n",
                "hello/__init__.py", "",
                "hello/wsgi.py", "import greeting_words\n\n\ndef application(environ, start_response):\n"
                        + "    start_response('200 OK', [])\n    return [greeting_words.HELLO.encode()]\n"));
        all.putAll(files);
        Path app = tmp.resolve("src-" + ++builds);
        all.forEach((name, content) -> {
            if (content != null) {
                write(app.resolve(name), content);
            }
        });
        return app;
    }

    private CompiledSlug build(Path app, Map<String, String> config) {
        output.clear();
        Map<String, String> withIndex = new LinkedHashMap<>(config);
        withIndex.put("PIP_INDEX_URL", index.url());
        Path data = tmp.resolve("data");
        return new BuildpackCompiler(new SlugStore(data), data, REPOSITORY.resolve("buildpacks"),
                new ContainerSandbox(docker, image, ContainerSandbox.Limits.defaults()))
                .compile(new BuildRequest("py", app, output::add, withIndex, List.of()));
    }

    /** The slug's files and their contents (text files only are read). */
    private Map<String, String> slugFiles(CompiledSlug compiled) {
        Path slug = new SlugStore(tmp.resolve("data")).path(compiled.slug().digest()).orElseThrow();
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(slug);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                files.put(entry.getName(), entry.isFile() && entry.getSize() < 64 * 1024
                        ? new String(tar.readAllBytes(), StandardCharsets.UTF_8) : "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    // --- the tests

    @Test
    void aGettingStartedAppGetsItsRequirementsFromTheIndexAndTheSecondBuildDownloadsNoWheel() {
        int before = index.downloads().size();

        CompiledSlug first = build(aGettingStartedApp(Map.of()), Map.of());

        assertThat(output).contains("-----> Python app detected", "       runtime.txt asks for Python 3.11: this is it",
                "-----> Installing the requirements of requirements.txt with pip");
        assertThat(index.downloads().subList(before, index.downloads().size()))
                .containsExactlyInAnyOrder("gunicorn-23.0.0-py3-none-any.whl", "greeting_words-1.0-py3-none-any.whl");
        assertThat(first.processTypes()).containsExactly(Map.entry("web", "gunicorn hello.wsgi --log-file -"));
        Map<String, String> files = slugFiles(first);
        // Nothing of the virtualenv is left out of the slug (a symlink to /usr/bin/python3 would be).
        assertThat(output).noneMatch(line -> line.startsWith(" !     skipping"));
        assertThat(files).containsKeys("./app/.profile.d/python.sh", "./app/.heroku/python/pyvenv.cfg",
                "./app/.heroku/python/bin/python3", "./app/.heroku/python/bin/python",
                "./app/.heroku/python/lib/python3.11/site-packages/greeting_words.py");
        // The console script finds the virtualenv's python beside itself, wherever the slug is unpacked.
        assertThat(files.get("./app/.heroku/python/bin/gunicorn")).startsWith("#!/bin/sh\n")
                .doesNotContain("/tmp/build");
        int afterFirst = index.downloads().size();

        CompiledSlug second = build(aGettingStartedApp(Map.of()), Map.of());

        assertThat(output).contains("       The build cache's wheels satisfy every requirement: nothing downloaded");
        assertThat(index.downloads()).hasSize(afterFirst);
        assertThat(second.processTypes()).containsKey("web");
    }

    @Test
    void aPythonVersionTheStackDoesNotHaveIsRefusedNamingTheOneItHasUnlessTheAppAcceptsIt() {
        Path app = aGettingStartedApp(Map.of(".python-version", "3.12\n"));

        assertThatThrownBy(() -> build(app, Map.of()))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("buildpack python failed: bin/compile exited 1");
        assertThat(output).anyMatch(line -> line.startsWith(" !     .python-version asks for Python 3.12, but the only"
                + " Python here is 3.11.") && line.contains("SLIPWAY_RUNTIME_FALLBACK=1"));

        build(aGettingStartedApp(Map.of(".python-version", "3.12\n")), Map.of("SLIPWAY_RUNTIME_FALLBACK", "true"));

        assertThat(output).anyMatch(line -> line.startsWith("       .python-version asks for Python 3.12; building"
                + " with Python 3.11."));
    }

    @Test
    void aProcfileRunningAProgramTheRequirementsDoNotInstallIsRefusedBeforeRelease() {
        Path app = aGettingStartedApp(Map.of("requirements.txt", "greeting-words\n"));

        assertThatThrownBy(() -> build(app, Map.of()))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("Procfile process 'web' runs 'gunicorn', which is not installed: add it to requirements.txt");
    }

    @Test
    void aDjangoAppsStaticFilesAreCollectedUnlessDisableCollectstaticIsSet() {
        Map<String, String> django = Map.of(
                "requirements.txt", "Django==5.0\ngunicorn\ngreeting-words\n",
                "manage.py", """
                        import os, sys
                        if sys.argv[1:] == ["collectstatic", "--noinput"]:
                            os.makedirs("staticfiles", exist_ok=True)
                            with open("staticfiles/site.css", "w") as f:
                                f.write("body {}\\n")
                            print("1 static file copied to 'staticfiles'.")
                        """);

        CompiledSlug collected = build(aGettingStartedApp(django), Map.of());

        assertThat(output).containsSubsequence("-----> $ python manage.py collectstatic --noinput",
                "       1 static file copied to 'staticfiles'.");
        assertThat(slugFiles(collected)).containsEntry("./app/staticfiles/site.css", "body {}\n");

        build(aGettingStartedApp(django), Map.of("DISABLE_COLLECTSTATIC", "1"));

        assertThat(output).contains("-----> Not collecting static files: DISABLE_COLLECTSTATIC is set")
                .doesNotContain("       1 static file copied to 'staticfiles'.");
    }

    @Test
    void aPipfileLockIsInstalledWhenThereIsNoRequirementsTxt() {
        Map<String, String> pipenv = new LinkedHashMap<>();
        pipenv.put("requirements.txt", null);
        pipenv.put("Pipfile", "[packages]\ngunicorn = \"*\"\ngreeting-words = \"*\"\n");
        pipenv.put("Pipfile.lock", "{\"default\": {\"gunicorn\": {\"version\": \"==23.0.0\"},"
                + " \"greeting-words\": {\"version\": \"==1.0\"}}, \"develop\": {}}\n");

        CompiledSlug compiled = build(aGettingStartedApp(pipenv), Map.of());

        assertThat(output).contains("-----> Installing the requirements of Pipfile.lock with pip");
        assertThat(slugFiles(compiled)).containsKey("./app/.heroku/python/bin/gunicorn");
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
