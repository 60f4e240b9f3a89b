package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.slipway.zk.Build;
import dev.slipway.zk.BuildStore;
import dev.slipway.zk.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Builds through the REST API: accepted at once, run in the background, their output streamed live. */
class BuildsApiTest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void anUploadIsAnsweredAsAPendingBuildBeforeItIsBuilt() throws Exception {
        api.givenApp("pending");
        Path signal = dir.resolve("pending-signal");
        api.givenBuildpacks("pending", api.aBuildpackThatWaitsFor(signal, "-----> Waiting"));

        HttpResponse<String> accepted = api.upload("pending", ApiScenario.aSource());

        assertThat(accepted.statusCode()).isEqualTo(201);
        JsonNode build = Json.mapper().readTree(accepted.body());
        String id = build.path("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(build.path("app").asText()).isEqualTo("pending");
        assertThat(build.path("status").asText()).isEqualTo("pending");
        assertThat(build.path("output_stream_url").asText()).isEqualTo(api.base + "apps/pending/builds/" + id + "/output");
        assertThat(build.path("created_at").asText()).isNotEmpty();
        assertThat(accepted.headers().firstValue("Location")).contains("/apps/pending/builds/" + id);
        assertThat(api.json("/apps/pending/builds/" + id).path("status").asText()).isEqualTo("pending");

        Files.createFile(signal);
        JsonNode done = api.finished("pending", id);
        assertThat(done.path("status").asText()).isEqualTo("succeeded");
        assertThat(done.path("release").path("version").asInt()).isEqualTo(1);
        assertThat(done.path("error").isNull()).isTrue();
        assertThat(done.path("finished_at").asText()).isNotEmpty();
    }

    @Test
    void theOutputStreamSendsEachLineAsItIsWrittenAndEndsWithTheBuild() throws Exception {
        api.givenApp("live");
        Path signal = dir.resolve("live-signal");
        api.givenBuildpacks("live", api.aBuildpackThatWaitsFor(signal, "-----> Waiting for the signal"));
        JsonNode build = api.build("live");

        HttpResponse<Stream<String>> stream = ApiScenario.HTTP.send(
                HttpRequest.newBuilder(URI.create(build.path("output_stream_url").asText()))
                        .header("Authorization", api.authorization("/apps")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        Iterator<String> lines = stream.body().iterator();
        List<String> seen = new ArrayList<>();
        while (seen.isEmpty() || !seen.get(seen.size() - 1).equals("-----> Waiting for the signal")) {
            seen.add(lines.next());
        }
        assertThat(api.json("/apps/live/builds/" + build.path("id").asText()).path("status").asText())
                .isEqualTo("pending");

        Files.createFile(signal);
        lines.forEachRemaining(seen::add);

        assertThat(seen).containsSubsequence("-----> Waiter app detected", "-----> Waiting for the signal",
                "       signal seen");
        assertThat(seen.get(seen.size() - 1)).startsWith("-----> Launching");
        assertThat(api.json("/apps/live/builds/" + build.path("id").asText()).path("status").asText())
                .isEqualTo("succeeded");
    }

    @Test
    void aFinishedBuildsOutputIsSentWholeAndKeptInTheDataDirectory() throws Exception {
        api.givenApp("finished");
        Path signal = Files.createFile(dir.resolve("finished-signal"));
        api.givenBuildpacks("finished", api.aBuildpackThatWaitsFor(signal, "-----> Not waiting"));
        String id = api.build("finished").path("id").asText();
        api.finished("finished", id);

        HttpResponse<String> output = api.get("/apps/finished/builds/" + id + "/output");

        assertThat(output.statusCode()).isEqualTo(200);
        assertThat(output.body()).contains("-----> Waiter app detected\n-----> Not waiting\n").endsWith("\n");
        assertThat(api.buildOutput().resolve("finished").resolve(id + ".log")).hasContent(output.body().strip());
    }

    @Test
    void aLongOutputArrivesWholeAndInOrderAtTheClientsPace() throws Exception {
        api.givenApp("chatty");
        api.givenBuildpacks("chatty", api.aBuildpack("Chatty",
                "i=0; while [ $i -lt 20000 ]; do echo \"line $i of a long build output\"; i=$((i+1)); done\n"));
        JsonNode build = api.build("chatty");

        HttpResponse<InputStream> stream = ApiScenario.HTTP.send(
                HttpRequest.newBuilder(URI.create(build.path("output_stream_url").asText()))
                        .header("Authorization", api.authorization("/apps")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("line ")) {
                    lines.add(line);
                }
            }
        }

        assertThat(lines).hasSize(20000);
        assertThat(lines.get(0)).isEqualTo("line 0 of a long build output");
        assertThat(lines.get(19999)).isEqualTo("line 19999 of a long build output");
        assertThat(api.finished("chatty", build.path("id").asText()).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aFailedBuildPublishesNothingAndItsOutputEndsWithWhy() throws Exception {
        api.givenApp("failing");
        api.givenBuildpacks("failing", api.aBuildpackThatFails());
        String id = api.build("failing").path("id").asText();

        JsonNode build = api.finished("failing", id);

        assertThat(build.path("status").asText()).isEqualTo("failed");
        assertThat(build.path("release").isNull()).isTrue();
        assertThat(build.path("error").asText()).endsWith("failed: bin/compile exited 3");
        List<String> output = api.get("/apps/failing/builds/" + id + "/output").body().lines().toList();
        assertThat(output).contains("       about to fail");
        assertThat(output.get(output.size() - 1)).isEqualTo(" !     " + build.path("error").asText());
        assertThat(api.json("/apps/failing/releases")).isEmpty();
        assertThat(api.json("/apps/failing").path("release").isNull()).isTrue();
    }

    @Test
    void anArchiveThatIsUnsafeInsideFailsItsBuild() throws Exception {
        api.givenApp("unsafe");
        byte[] escaping = tarball("../escape");

        HttpResponse<String> accepted = api.upload("unsafe", escaping);

        assertThat(accepted.statusCode()).isEqualTo(201);
        JsonNode build = api.finished("unsafe", Json.mapper().readTree(accepted.body()).path("id").asText());
        assertThat(build.path("status").asText()).isEqualTo("failed");
        assertThat(build.path("error").asText()).contains("../escape");
        assertThat(api.json("/apps/unsafe/releases")).isEmpty();
    }

    @Test
    void theReleaseKeepsTheConfigVarsTheBuildpacksAskedForAndShowsOnlyTheirNames() throws Exception {
        api.givenApp("configured");
        Path signal = Files.createFile(dir.resolve("configured-signal"));
        api.givenBuildpacks("configured", api.aBuildpackThatWaitsFor(signal, "ok"));
        api.finished("configured", api.build("configured").path("id").asText());

        JsonNode release = api.json("/apps/configured/releases").get(0);

        assertThat(api.releases.get("configured", 1).orElseThrow().configVars())
                .containsEntry("GREETING", "hello from the buildpack");
        assertThat(release.path("config_var_names")).containsExactly(TextNode.valueOf("GREETING"));
        assertThat(release.toString()).doesNotContain("hello from the buildpack");
        assertThat(release.path("process_types").path("web").asText()).isEqualTo("./serve");
    }

    @Test
    void aSecondBuildWhileOneRunsIsAConflict() throws Exception {
        api.givenApp("busy");
        Path signal = dir.resolve("busy-signal");
        api.givenBuildpacks("busy", api.aBuildpackThatWaitsFor(signal, "waiting"));
        String first = api.build("busy").path("id").asText();

        HttpResponse<String> second = api.upload("busy", ApiScenario.aSource());

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(second.body()).contains("already running");
        Files.createFile(signal);
        api.finished("busy", first);
        assertThat(api.json("/apps/busy/builds")).hasSize(1);
    }

    @Test
    void badUploadsAreRefusedBeforeAnyBuildStarts() throws Exception {
        api.givenApp("refused");

        HttpResponse<String> unknown = api.upload("nobody", ApiScenario.aSource());
        HttpResponse<String> notGzip = api.upload("refused", "this is not a tarball".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> empty = api.upload("refused", new byte[0]);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(notGzip.body()).path("detail").asText()).contains("gzip");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(tooLargeUploadStatus("refused")).startsWith("HTTP/1.1 413");
        assertThat(api.json("/apps/refused/builds")).isEmpty();
    }

    @Test
    void aBuildKeepsTheSourceChecksumItWasUploadedWithAndABadOneIsRefused() throws Exception {
        api.givenApp("summed");
        api.givenBuildpacks("summed", api.aBuildpackThatFails());
        String checksum = "sha256:" + "0123456789abcdef".repeat(4);

        HttpResponse<String> accepted = api.uploadTo("/apps/summed/builds?source_checksum=" + checksum,
                ApiScenario.aSource());
        HttpResponse<String> bad = api.uploadTo("/apps/summed/builds?source_checksum=md5:abc", ApiScenario.aSource());

        assertThat(accepted.statusCode()).isEqualTo(201);
        String id = Json.mapper().readTree(accepted.body()).path("id").asText();
        assertThat(api.finished("summed", id).path("source_checksum").asText()).isEqualTo(checksum);
        assertThat(api.json("/apps/summed/builds").get(0).path("source_checksum").asText()).isEqualTo(checksum);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(Json.mapper().readTree(bad.body()).path("detail").asText()).startsWith("source_checksum must be");
        assertThat(api.json("/apps/summed/builds")).hasSize(1);
    }

    @Test
    void buildsAreListedNewestFirst() throws Exception {
        api.givenApp("listed");
        api.givenBuildpacks("listed", api.aBuildpackThatFails());
        String first = api.build("listed").path("id").asText();
        api.finished("listed", first);
        String second = api.build("listed").path("id").asText();
        api.finished("listed", second);

        JsonNode builds = api.json("/apps/listed/builds");

        assertThat(builds).extracting(b -> b.path("id").asText()).containsExactly(second, first);
        assertThat(builds.get(0).path("status").asText()).isEqualTo("failed");
        assertThat(api.get("/apps/listed/builds/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(api.get("/apps/listed/builds/not-an-id/output").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTheLastTwentyBuildsAreKeptWithTheirOutput() throws Exception {
        api.givenApp("pruned");
        BuildStore store = api.apps.builds();
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Build build = store.create(Build.pending(UUID.randomUUID().toString(), "pruned",
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)).failed("old", Instant.now()));
            Path log = api.buildOutput().resolve("pruned").resolve(build.id() + ".log");
            Files.createDirectories(log.getParent());
            Files.writeString(log, "old output\n");
            old.add(build.id());
        }
        api.givenBuildpacks("pruned", api.aBuildpackThatFails());

        api.finished("pruned", api.build("pruned").path("id").asText());

        JsonNode builds = api.json("/apps/pruned/builds");
        assertThat(builds).hasSize(20);
        assertThat(builds).extracting(b -> b.path("id").asText()).doesNotContain(old.get(0)).contains(old.get(1));
        assertThat(api.buildOutput().resolve("pruned").resolve(old.get(0) + ".log")).doesNotExist();
    }

    @Test
    void aClientThatGoesAwayStopsWatchingTheBuild() throws Exception {
        api.givenApp("leaving");
        Path signal = dir.resolve("leaving-signal");
        api.givenBuildpacks("leaving", api.aBuildpackThatWaitsFor(signal, "-----> Waiting"));
        String id = api.build("leaving").path("id").asText();
        var log = api.api.builds().live(id).orElseThrow();

        try (Socket client = new Socket("127.0.0.1", api.api.port())) {
            client.setSoTimeout(30_000);
            client.getOutputStream().write(("GET /apps/leaving/builds/" + id + "/output HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: " + api.authorization("/apps") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader reader = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = reader.readLine(); !line.endsWith("-----> Waiting"); line = reader.readLine()) {
                assertThat(line).isNotNull();
            }
            assertThat(log.watchers()).isEqualTo(1);
        }

        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> log.watchers() == 0);
        Files.createFile(signal);
        assertThat(api.finished("leaving", id).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aBuildPendingWhenTheFrameworkStoppedIsFailedWhenItStarts() throws Exception {
        api.givenApp("restarted");
        Build orphan = api.apps.builds().create(Build.pending(UUID.randomUUID().toString(), "restarted", Instant.now()));

        api.stopApi();
        api.start();

        JsonNode build = api.json("/apps/restarted/builds/" + orphan.id());
        assertThat(build.path("status").asText()).isEqualTo("failed");
        assertThat(build.path("error").asText()).isEqualTo("interrupted: the framework restarted");
    }

    /** Sends only the head of an upload that says it is over the limit, and reads the status line. */
    private static String tooLargeUploadStatus(String app) throws Exception {
        try (Socket client = new Socket("127.0.0.1", api.api.port())) {
            client.setSoTimeout(30_000);
            OutputStream out = client.getOutputStream();
            out.write(("POST /apps/" + app + "/builds HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/gzip\r\n"
                    + "Authorization: " + api.authorization("/apps") + "\r\n"
                    + "Content-Length: " + (dev.slipway.framework.git.GitSettings.DEFAULT_MAX_PUSH_BYTES + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static byte[] tarball(String entryName) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream gzip = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes);
             var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gzip)) {
            byte[] content = "web: echo hi\n".getBytes(StandardCharsets.UTF_8);
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(entryName, true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
