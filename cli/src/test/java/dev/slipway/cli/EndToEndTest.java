package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user does, end to end: everything of Slipway in this JVM (embedded ZooKeeper,
 * mesos-local, the framework, the router), executors and apps as real child processes, and the
 * CLI commands as typed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {
    static final Path EXAMPLE = Path.of("../examples/procfile-hello").toAbsolutePath().normalize();
    static final Path EXECUTOR_JAR = Path.of("../executor/target/slipway-executor.jar").toAbsolutePath().normalize();
    static final Path BUILDPACKS = Path.of("../buildpacks").toAbsolutePath().normalize();
    static final Path STATIC_SITE = Path.of("../examples/static-site").toAbsolutePath().normalize();

    @TempDir
    static Path home;
    static LocalSlipway slipway;
    static String api;
    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startSlipway() throws Exception {
        assertThat(EXECUTOR_JAR).as("the executor jar (built by `mvn package` before these tests)").isRegularFile();
        slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, EXECUTOR_JAR, BUILDPACKS), line -> { });
        api = slipway.api().toString();
    }

    @AfterAll
    static void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    @Order(1)
    void aNewAppIsCreatedAndListed() {
        Cli.Result created = Cli.run(api, "apps:create", "hello");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).contains("http://hello.localhost:" + slipway.routerPort() + "/");

        Cli.Result apps = Cli.run(api, "apps");
        assertThat(apps.out()).contains("hello").contains("not deployed");
    }

    @Test
    @Order(2)
    void deployingTheExampleServesItsResponseThroughTheRouter() throws Exception {
        Cli.Result deployed = Cli.run(api, "deploy", EXAMPLE.toString(), "-a", "hello");

        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("Procfile app detected").contains("Released v1").contains("up");
        HttpResponse<String> response = get("hello.localhost");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello from Slipway! (web.1)\n");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    @Order(3)
    void psShowsTheRunningInstance() {
        Cli.Result ps = Cli.run(api, "ps", "-a", "hello");
        assertThat(ps.exitCode()).isZero();
        assertThat(ps.out()).containsPattern("web\\.1\\s+up\\s+v1\\s+127\\.0\\.0\\.1:3\\d{4}");
    }

    @Test
    @Order(4)
    void unknownHostsAreNotFoundAndAppsWithoutInstancesUnavailable() throws Exception {
        assertThat(get("nothing.localhost").statusCode()).isEqualTo(404);
        assertThat(Cli.run(api, "apps:create", "empty").exitCode()).isZero();
        assertThat(Cli.run(api, "deploy", EXAMPLE.toString(), "-a", "empty", "--wait", "0").exitCode()).isZero();
        assertThat(Cli.run(api, "ps:scale", "web=0", "-a", "empty").exitCode()).isZero();
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> get("empty.localhost").statusCode() == 503);
    }

    @Test
    @Order(5)
    void invalidAppNamesAreRefusedAndNothingIsStored() {
        for (String bad : List.of("Hello", "has space", "a..b", "x".repeat(31), "dash-")) {
            Cli.Result result = Cli.run(api, "apps:create", bad);
            assertThat(result.exitCode()).as(bad).isEqualTo(1);
            assertThat(result.err()).as(bad).startsWith("error: app name").containsAnyOf("invalid", "too long");
        }
        assertThat(Cli.run(api, "apps").out()).doesNotContain("Hello").doesNotContain("has space");
    }

    @Test
    @Order(6)
    void creatingAnAppTwiceIsAConflict() {
        Cli.Result again = Cli.run(api, "apps:create", "hello");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    @Order(7)
    void aDirectoryNoBuildpackDetectsFailsTheBuildAndTheAppKeepsServing(@TempDir Path source) throws Exception {
        Files.writeString(source.resolve("notes.txt"), "no Procfile, no index.html, nothing to run");
        Cli.Result result = Cli.run(api, "deploy", source.toString(), "-a", "hello");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains(" !     no buildpack detected");
        assertThat(result.err()).startsWith(" !     Build failed: no buildpack detected");
        assertThat(releases("hello")).isEqualTo(1);
        assertThat(get("hello.localhost").body()).startsWith("Hello from Slipway!");
    }

    @Test
    @Order(8)
    void anUploadThatIsNotAGzipTarIsABadRequest() throws Exception {
        HttpResponse<String> response = upload("hello", "this is not a tarball".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(Json.mapper().readTree(response.body()).path("detail").asText()).contains("gzip");
        assertThat(releases("hello")).isEqualTo(1);
    }

    @Test
    @Order(9)
    void tarEntriesEscapingTheirDirectoryFailTheBuild() throws Exception {
        for (String name : List.of("../escape", "/etc/passwd-x")) {
            JsonNode build = failedBuild("hello", tarball(name));
            assertThat(build.path("error").asText()).as(name).contains(name);
        }
        JsonNode symlink = failedBuild("hello", symlinkTarball("link", "../../../etc"));
        assertThat(symlink.path("error").asText()).contains("link");
        assertThat(releases("hello")).isEqualTo(1);
    }

    @Test
    @Order(10)
    void aRedeployRollsToTheNewReleaseWithoutAFailedRequest() throws Exception {
        AtomicBoolean deploying = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread traffic = new Thread(() -> {
            while (deploying.get()) {
                try {
                    HttpResponse<String> response = get("hello.localhost");
                    if (response.statusCode() == 200) {
                        served.incrementAndGet();
                    } else {
                        failures.add(response.statusCode() + " " + response.body());
                    }
                } catch (IOException | InterruptedException e) {
                    failures.add(e.toString());
                }
            }
        });
        traffic.start();
        Cli.Result deployed = Cli.run(api, "deploy", EXAMPLE.toString(), "-a", "hello");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("Released v2");
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode dynos = dynos("hello");
            return dynos.size() > 0 && allOf(dynos, 2);
        });
        deploying.set(false);
        traffic.join();

        assertThat(failures).isEmpty();
        assertThat(served.get()).isPositive();
    }

    @Test
    @Order(11)
    void aStaticSiteIsDetectedBuiltAndServed() throws Exception {
        assertThat(Cli.run(api, "apps:create", "site").exitCode()).isZero();
        Cli.Result deployed = Cli.run(api, "deploy", STATIC_SITE.toString(), "-a", "site");

        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("Static").contains("Released v1");
        HttpResponse<String> page = get("site.localhost");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Hello from a static site on Slipway");
    }

    @Test
    @Order(12)
    void appsComeBackAfterSlipwayRestarts() throws Exception {
        String token = Credentials.ofThisUser().get(api).orElseThrow();
        slipway.close();
        slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, EXECUTOR_JAR, BUILDPACKS), line -> { });
        api = slipway.api().toString();
        // The admin exists: no new token is made, and the first one works at the API's new port.
        assertThat(Credentials.ofThisUser().get(api)).isEmpty();
        Credentials.ofThisUser().put(api, token);

        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> get("hello.localhost").statusCode() == 200);
        assertThat(get("hello.localhost").body()).isEqualTo("Hello from Slipway! (web.1)\n");
        assertThat(Cli.run(api, "releases", "-a", "hello").out()).contains("v2").contains("v1");
    }

    private static boolean allOf(JsonNode dynos, int release) {
        for (JsonNode d : dynos) {
            boolean ended = d.path("state").asText().equals("down");
            if (!ended && d.path("release").asInt() != release) {
                return false;
            }
        }
        return true;
    }

    private static HttpResponse<String> get(String host) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slipway.routerPort() + "/"))
                .header("Host", host).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> upload(String app, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(api + "/apps/" + app + "/builds"))
                .header("Content-Type", "application/gzip").header("Authorization", bearer())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads a source the build must refuse: it is accepted, and then fails. */
    private static JsonNode failedBuild(String app, byte[] source) throws Exception {
        HttpResponse<String> accepted = upload(app, source);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        String id = Json.mapper().readTree(accepted.body()).path("id").asText();
        JsonNode build = Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> TestHttp.json(URI.create(api + "/apps/" + app + "/builds/" + id)),
                        b -> !b.path("status").asText().equals("pending"));
        assertThat(build.path("status").asText()).isEqualTo("failed");
        return build;
    }

    private static int releases(String app) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/apps/" + app + "/releases"))
                .header("Authorization", bearer()).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body()).size();
    }

    private static JsonNode dynos(String app) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/apps/" + app + "/dynos"))
                .header("Authorization", bearer()).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }

    /** The first admin's token, which `up` stored for the API in the CLI's credentials file. */
    private static String bearer() {
        return "Bearer " + Credentials.ofThisUser().get(api).orElseThrow();
    }

    private static byte[] tarball(String entryName) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            byte[] content = "web: echo hi\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry procfile = new TarArchiveEntry("Procfile");
            procfile.setSize(content.length);
            tar.putArchiveEntry(procfile);
            tar.write(content);
            tar.closeArchiveEntry();
            TarArchiveEntry entry = new TarArchiveEntry(entryName, true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] symlinkTarball(String name, String target) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(target);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
