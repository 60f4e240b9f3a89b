package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The built-in buildpacks' {@code indent} (each buildpack's {@code lib/indent.sh}, run with bash
 * alone): a line is handed on as soon as it is read, not when the tool's output ends.
 */
class BuiltInIndentTest {
    private static final Path BUILT_INS = Path.of("").toAbsolutePath().getParent().resolve("buildpacks");

    private static List<Path> indentHelpers() throws IOException {
        try (Stream<Path> buildpacks = Files.list(BUILT_INS)) {
            return buildpacks.map(dir -> dir.resolve("lib/indent.sh")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void eachLineComesOutIndentedBeforeTheInputEnds() throws Exception {
        List<Path> helpers = indentHelpers();
        assertThat(helpers).extracting(helper -> helper.getParent().getParent().getFileName().toString())
                .contains("java-maven", "nodejs");

        for (Path helper : helpers) {
            Process bash = new ProcessBuilder("bash", "-c", "source \"$0\" && indent", helper.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (OutputStream in = bash.getOutputStream();
                 BufferedReader out = new BufferedReader(new InputStreamReader(bash.getInputStream(),
                         StandardCharsets.UTF_8))) {
                in.write("first line\n".getBytes(StandardCharsets.UTF_8));
                in.flush();

                // stdin stays open: the line must come out on its own.
                assertThat(nextLine(out)).as(helper.toString()).isEqualTo("       first line");

                in.write("\u001b[1;34m[INFO]\u001b[m Building\n\u001b[0m\n\nlast, no newline".getBytes(
                        StandardCharsets.UTF_8));
                in.close();
                assertThat(out.lines().toList()).as(helper.toString())
                        .containsExactly("       [INFO] Building", "       ", "       last, no newline");
            } finally {
                bash.destroyForcibly();
            }
            assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void everyCopyOfTheHelperIsTheSame() throws Exception {
        List<Path> helpers = indentHelpers();
        String first = Files.readString(helpers.get(0));
        for (Path helper : helpers) {
            assertThat(Files.readString(helper)).as(helper.toString()).isEqualTo(first);
        }
    }

    @Test
    void noBuiltInBuildpackPipesItsOutputThroughAwk() throws Exception {
        // mawk, the stack's awk, reads a pipe a block at a time: lines would wait for the next block.
        try (Stream<Path> files = Files.walk(BUILT_INS)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".java")).toList()) {
                List<String> code = Files.readAllLines(file).stream()
                        .filter(line -> !line.strip().startsWith("#")).toList();
                assertThat(code).as(file.toString()).noneMatch(line -> line.matches(".*\\|\\s*awk\\b.*"));
            }
        }
    }

    private static String nextLine(BufferedReader reader) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(10, TimeUnit.SECONDS);
    }
}
