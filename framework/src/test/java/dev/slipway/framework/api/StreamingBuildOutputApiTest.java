package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.slipway.docker.DockerEngine;
import dev.slipway.slug.BuildSandbox;
import dev.slipway.slug.ContainerSandbox;
import dev.slipway.slug.StackImage;
import dev.slipway.zk.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A line a build prints reaches a client of {@code GET /apps/{app}/builds/{id}/output} while the
 * build still runs, through the built-in buildpacks' own output path, in a container of the stack
 * image on the real Docker engine. Where there is no engine the tests are skipped, unless
 * {@code SLIPWAY_REQUIRE_DOCKER} is set (CI sets it).
 */
class StreamingBuildOutputApiTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    /** What the build waits for, in its cache dir ({@code /tmp/cache} in the container). */
    private static final String GO = "go";

    private static DockerClient docker;

    @RegisterExtension
    static final ApiScenario api = new ApiScenario().buildingIn(StreamingBuildOutputApiTest::containers,
            REPOSITORY.resolve("buildpacks"));

    private static BuildSandbox containers() {
        Optional<DockerClient> engine = DockerEngine.find();
        if (engine.isEmpty() && System.getenv("SLIPWAY_REQUIRE_DOCKER") != null) {
            fail("SLIPWAY_REQUIRE_DOCKER is set but no Docker engine answers");
        }
        assumeTrue(engine.isPresent(), "no Docker engine here");
        docker = engine.get();
        String image = StackImage.ensure(REPOSITORY.resolve("stack"), line -> System.err.println("[stack] " + line));
        return new ContainerSandbox(docker, image, new ContainerSandbox.Limits(1024L * 1024 * 1024, 1.0, 512));
    }

    @AfterAll
    static void closeEngine() {
        if (docker != null) {
            DockerEngine.close(docker);
        }
    }

    @Test
    void aLineMavenPrintsReachesTheClientThroughTheJavaBuildpackWhileTheBuildRuns() throws Exception {
        // Maven itself would fetch its plugins from Maven Central: a stand-in mvn, put on PATH by a
        // buildpack before java-maven (its export file), prints a line and waits.
        api.givenApp("java-stream");
        api.givenBuildpacks("java-stream", standInMaven(), Path.of("java-maven"));
        JsonNode build = upload("java-stream", Map.of(
                "pom.xml", "<project/>\n",
                "Procfile", "web: ./serve\n",
                "serve", "#!/bin/sh\necho serving\n"));

        List<String> seen = streamUntilReleased("java-stream", build, "       [INFO] first line");

        assertThat(seen).containsSubsequence("-----> Java (Maven) app detected", "       [INFO] first line",
                "       [INFO] BUILD SUCCESS");
    }

    @Test
    void aLineAnNpmScriptPrintsReachesTheClientThroughTheNodeBuildpackWhileTheBuildRuns() throws Exception {
        api.givenApp("node-stream");
        api.givenBuildpacks("node-stream", Path.of("nodejs"));
        JsonNode build = upload("node-stream", Map.of("package.json", """
                {"name": "node-stream", "version": "1.0.0",
                 "scripts": {"preinstall": "echo first line; while [ ! -e /tmp/cache/go ]; do sleep 0.1; done; echo last line",
                             "start": "./serve"}}
                """, "serve", "#!/bin/sh\necho serving\n"));

        List<String> seen = streamUntilReleased("node-stream", build, "       first line");

        assertThat(seen).containsSubsequence("-----> Node.js app detected", "       first line", "       last line");
    }

    /**
     * Reads the build's output stream until {@code line}, checks that the build is still pending
     * then, lets it finish and reads the rest: the whole output, once the build has succeeded.
     */
    private static List<String> streamUntilReleased(String app, JsonNode build, String line) throws Exception {
        String id = build.path("id").asText();
        HttpResponse<Stream<String>> stream = ApiScenario.HTTP.send(
                HttpRequest.newBuilder(URI.create(build.path("output_stream_url").asText()))
                        .header("Authorization", api.authorization("/apps")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        Iterator<String> lines = stream.body().iterator();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try {
            try {
                CompletableFuture.runAsync(() -> {
                    while (!seen.contains(line) && lines.hasNext()) {
                        seen.add(lines.next());
                    }
                }).get(2, TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                fail("'" + line + "' did not arrive while the build ran (it waits for it to be read); the output"
                        + " so far:\n" + String.join("\n", seen));
            }
            assertThat(seen).as("the output so far").contains(line);
            assertThat(api.json("/apps/" + app + "/builds/" + id).path("status").asText())
                    .as("the build, once the line has arrived").isEqualTo("pending");
        } finally {
            Files.createFile(Files.createDirectories(api.dir.resolve("data/cache").resolve(app)).resolve(GO));
        }
        CompletableFuture.runAsync(() -> lines.forEachRemaining(seen::add)).get(5, TimeUnit.MINUTES);
        assertThat(api.finished(app, id).path("status").asText()).as(String.join("\n", seen)).isEqualTo("succeeded");
        return seen;
    }

    /**
     * A buildpack whose compile writes an {@code mvn} into its own directory and an export file
     * putting it first on PATH. That mvn prints a line (coloured, as Maven's console does), waits
     * for the go file in the cache, and prints another.
     */
    private static Path standInMaven() throws IOException {
        Path buildpack = Files.createTempDirectory(api.dir, "stand-in-maven-");
        executable(buildpack.resolve("bin/detect"), "#!/usr/bin/env bash\necho Stand-in Maven\n");
        executable(buildpack.resolve("bin/release"), "#!/usr/bin/env bash\necho '--- {}'\n");
        executable(buildpack.resolve("bin/compile"), """
                #!/usr/bin/env bash
                set -euo pipefail
                here="$(cd "$(dirname "$0")/.." && pwd)"
                mkdir -p "$here/stand-in"
                cat > "$here/stand-in/mvn" <<'MVN'
                #!/usr/bin/env bash
                if [[ " $* " == *" --version "* ]]; then
                  echo "Apache Maven 3.8.7 (a stand-in)"
                  exit 0
                fi
                printf '\\033[1;34m[INFO]\\033[m first line\\033[m\\n'
                while [ ! -e /tmp/cache/go ]; do sleep 0.1; done
                echo "[INFO] BUILD SUCCESS"
                MVN
                chmod +x "$here/stand-in/mvn"
                echo "export PATH=\\"$here/stand-in:\\$PATH\\"" > "$here/export"
                echo "       mvn is a stand-in"
                """);
        return buildpack;
    }

    private static void executable(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static JsonNode upload(String app, Map<String, String> files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                entry.setMode(file.getKey().equals("serve") ? 0755 : 0644);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        HttpResponse<String> accepted = api.upload(app, bytes.toByteArray());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        return Json.mapper().readTree(accepted.body());
    }
}
