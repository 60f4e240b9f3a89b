package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The nodejs buildpack's semver range matcher ({@code buildpacks/nodejs/lib/semver.js}), which
 * decides whether the stack's node meets {@code engines.node}: npm's grammar, row by row, run with
 * the node on this machine (the stack's runs it in builds). Each row: version, range, verdict;
 * {@code #} starts a comment.
 */
class NodeVersionRangeTest {
    private static final Path SEMVER = Path.of("").toAbsolutePath().getParent()
            .resolve("buildpacks/nodejs/lib/semver.js");

    /** One row of a table: the version, the range (all between the two; none for the empty range), the verdict. */
    private record Row(String version, String range, String verdict) {
        static Row parse(String line) {
            String text = line.replaceAll("\\s+#.*", "").strip();
            int first = text.indexOf(' ');
            int last = text.lastIndexOf(' ');
            return new Row(text.substring(0, first), text.substring(first, last).strip(), text.substring(last + 1));
        }
    }

    @Test
    void theFormsAppsWriteInEnginesNode() {
        check("""
                18.20.4      18.x                true
                18.20.4      18                  true
                18.20.4      18.20               true
                18.20.4      18.19               false
                18.20.4      16.x                false
                18.20.4      4.0.0               false
                18.20.4      18.20.4             true
                18.20.4      v18.20.4            true
                18.20.4      =18.20.4            true
                18.20.4      *                   true
                18.20.4                          true
                18.20.4      x                   true
                18.20.4      18.X.x              true
                """);
    }

    @Test
    void comparatorsAndTheirPartialVersions() {
        check("""
                18.20.4      >=16                true
                18.20.4      >= 16               true
                18.20.4      >=20                false
                18.20.4      >18                 false  # >18 is >=19.0.0
                18.20.4      >18.20              false
                18.20.4      >18.20.3            true
                18.20.4      <18                 false
                18.20.4      <19                 true
                18.20.4      <=18                true  # <=18 is <19.0.0-0
                18.20.4      <=18.19             false
                18.20.4      <=18.20.4           true
                18.20.4      <18.20.4            false
                18.20.4      >*                  false
                18.20.4      <*                  false
                18.20.4      >=*                 true
                """);
    }

    @Test
    void caretAndTilde() {
        check("""
                18.20.4      ^18.2               true
                18.20.4      ^18.20.5            false
                18.20.4      ^19                 false
                18.20.4      ^16                 false
                18.20.4      ^ 18                true
                18.20.4      ~18.20              true
                18.20.4      ~18.19              false
                18.20.4      ~18                 true
                18.20.4      ~>18.20.1           true
                0.2.5        ^0.2.3              true
                0.3.0        ^0.2.3              false
                0.0.3        ^0.0.3              true
                0.0.4        ^0.0.3              false
                0.0.9        ^0.0                true
                0.1.0        ^0.0                false
                0.9.0        ^0                  true
                """);
    }

    @Test
    void setsAlternativesAndHyphenRanges() {
        check("""
                18.20.4      >=16 <19            true
                18.20.4      >=16.0.0 <18        false
                18.20.4      16 || 18            true
                18.20.4      16 || 20            false
                18.20.4      14.x || >=18.20     true
                18.20.4      16.0.0 - 18.x       true
                18.20.4      16 - 18.19          false  # the upper partial includes 18.19.x, no more
                18.19.9      16 - 18.19          true
                18.20.4      18.20.4 - 18.20.4   true
                """);
    }

    @Test
    void preReleasesOnlyWhereTheRangeNamesOne() {
        check("""
                19.0.0-rc.1  >=18                false
                19.0.0-rc.1  >=19.0.0-rc.0       true
                18.20.4      >=18.20.4-rc.1      true
                18.20.4      <18.20.4-rc.1       false
                18.20.4      ^18.0.0-0           true
                """);
    }

    @Test
    void whatIsNoVersionRangeIsSaidSo() {
        check("""
                18.20.4      lts                 invalid
                18.20.4      latest              invalid
                18.20.4      >=16,<19            invalid
                18.20.4      18.x.3              invalid
                18.20.4      01.2.3              invalid
                18.20.4      18.20.4.1           invalid
                """);
    }

    /** Runs every row through one node process and compares the verdicts ("invalid: why" counts as invalid). */
    private static void check(String table) {
        List<Row> rows = table.lines().map(Row::parse).toList();
        StringBuilder input = new StringBuilder();
        rows.forEach(row -> input.append(row.version()).append('\t').append(row.range()).append('\n'));
        List<String> verdicts = run(input.toString()).stream()
                .map(line -> line.startsWith("invalid: ") ? "invalid" : line).toList();
        assertThat(verdicts).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(verdicts.get(i)).as("%s in \"%s\"", rows.get(i).version(), rows.get(i).range())
                    .isEqualTo(rows.get(i).verdict());
        }
    }

    private static List<String> run(String input) {
        Process node;
        try {
            node = new ProcessBuilder("node", SEMVER.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            assumeTrue(false, "no node on this machine: " + e.getMessage());
            throw new AssertionError(e);
        }
        try (OutputStream in = node.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try {
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).isZero();
            return out.lines().toList();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            node.destroyForcibly();
        }
    }
}
