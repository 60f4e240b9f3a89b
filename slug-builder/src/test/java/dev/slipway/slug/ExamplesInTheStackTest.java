package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The repository's examples, detected and built by the built-in buildpacks in the stack image. */
class ExamplesInTheStackTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @RegisterExtension
    static final TheStack STACK = new TheStack();

    @TempDir
    Path tmp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private int builds;

    private CompiledSlug build(String example) {
        output.clear();
        Path source = AppDir.copyOf(REPOSITORY.resolve("examples").resolve(example), tmp.resolve("src-" + ++builds)).root();
        return STACK.builtIns(tmp.resolve("data")).compile(new BuildRequest(example, source, output::add));
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
}
