package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in python buildpack's {@code bin/detect}, run with bash, and its place in auto-detection. */
class PythonDetectTest {
    private static final Path DETECT = Path.of("").toAbsolutePath().getParent().resolve("buildpacks/python/bin/detect");

    @TempDir
    Path app;

    private String detect() throws IOException, InterruptedException {
        Process detect = new ProcessBuilder("bash", DETECT.toString(), app.toString()).redirectErrorStream(true).start();
        String out = new String(detect.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(detect.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return detect.exitValue() == 0 ? out : "exited " + detect.exitValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"requirements.txt", "pyproject.toml", "Pipfile", ".python-version", "runtime.txt",
            "setup.py"})
    void anAppWithOneOfHerokusPythonFilesIsAPythonApp(String file) throws Exception {
        Files.writeString(app.resolve(file), "");

        assertThat(detect()).isEqualTo("Python");
    }

    @Test
    void anAppWithNoneOfThemIsNot() throws Exception {
        Files.writeString(app.resolve("Procfile"), "web: python3 -m http.server $PORT\n");
        Files.writeString(app.resolve("app.py"), "print('hi')\n");

        assertThat(detect()).isEqualTo("exited 1");
    }

    @Test
    void pythonIsTriedBeforeTheStaticAndProcfileBuildpacks() {
        // An app with requirements.txt and a Procfile (every Heroku Python app) needs its requirements.
        assertThat(BuildpackCompiler.DETECTION_ORDER).containsSubsequence("python", "static", "procfile");
    }
}
