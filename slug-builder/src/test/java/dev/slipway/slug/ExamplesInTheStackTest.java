package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.docker.DockerEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's examples, detected and built by the built-in buildpacks in the stack image. */
class ExamplesInTheStackTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    private static DockerClient docker;
    private static String image;

    @TempDir
    Path tmp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private int builds;

    @BeforeAll
    static void engine() {
        docker = DockerAvailable.engine();
        image = DockerAvailable.stackImage();
    }

    @AfterAll
    static void close() {
        if (docker != null) {
            DockerEngine.close(docker);
        }
    }

    private CompiledSlug build(String example) {
        output.clear();
        Path source = copy(REPOSITORY.resolve("examples").resolve(example), tmp.resolve("src-" + ++builds));
        Path data = tmp.resolve("data");
        return new BuildpackCompiler(new SlugStore(data), data, REPOSITORY.resolve("buildpacks"),
                new ContainerSandbox(docker, image, ContainerSandbox.Limits.defaults()))
                .compile(new BuildRequest(example, source, output::add));
    }

    private List<String> slugFiles(CompiledSlug compiled) {
        return RealTar.list(new SlugStore(tmp.resolve("data")).path(compiled.slug().digest()).orElseThrow());
    }

    @Test
    void theNodeExampleInstallsExpressAndReusesNodeModulesTheSecondTime() {
        CompiledSlug first = build("node-express");

        assertThat(output).contains("-----> Node.js app detected");
        assertThat(first.processTypes()).containsEntry("web", "npm start");
        assertThat(first.configVars()).containsEntry("NODE_ENV", "production");
        assertThat(slugFiles(first)).contains("./app/node_modules/express/package.json", "./app/.profile.d/nodejs.sh");

        build("node-express");

        assertThat(output).contains("-----> Restoring node_modules from the cache");
    }

    @Test
    void theJavaExampleBuildsARunnableJarAndDownloadsNothingTheSecondTime() {
        CompiledSlug first = build("java-maven");

        assertThat(output).contains("-----> Java (Maven) app detected");
        assertThat(first.processTypes().get("web")).matches("java \\$JAVA_OPTS -jar target/[\\w.-]+\\.jar");
        assertThat(slugFiles(first)).contains("./app/.profile.d/java.sh");

        build("java-maven");

        assertThat(output).noneMatch(line -> line.contains("Downloading from") || line.contains("Downloaded from"));
        assertThat(output).anyMatch(line -> line.startsWith("-----> Built target/"));
    }

    private static Path copy(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                if (relative.startsWith("node_modules") || relative.startsWith("target")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
