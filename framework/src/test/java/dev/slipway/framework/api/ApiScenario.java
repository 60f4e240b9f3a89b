package dev.slipway.framework.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.auth.Bootstrap;
import dev.slipway.framework.auth.Signer;
import dev.slipway.framework.build.Deployer;
import dev.slipway.framework.offer.AgentRoom;
import dev.slipway.slug.BuildpackCompiler;
import dev.slipway.slug.Builds;
import dev.slipway.slug.SlugStore;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Json;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The REST API as a client sees it, over real HTTP on loopback, with real ZooKeeper and real
 * builds (buildpacks are shell scripts the tests write). No Mesos: releases are only stored.
 */
final class ApiScenario implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final AtomicInteger released = new AtomicInteger();
    /** What the API is told of the framework's Mesos subscription. */
    final AtomicBoolean mesosSubscribed = new AtomicBoolean();
    /** The agents the API is told the scheduler has seen: none until a test shows it offers. */
    final AgentRoom agents = new AgentRoom();
    /** Why the scheduler has not placed slots ({@code "app web.2"}), as the API is told: none unless a test says. */
    final Map<String, List<String>> vetoes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Where the API asks for one-off dynos: no scheduler unless a test puts one there. */
    volatile dev.slipway.framework.schedule.OneOffDesk oneOffs = dev.slipway.framework.schedule.OneOffDesk.NONE;
    private final ApiAccess access;
    /** How many releases each app keeps ({@code ReleaseHistory}); a test of the bound sets it small. */
    int keepReleases = dev.slipway.framework.release.ReleaseHistory.DEFAULT_KEEP;
    /** Where builds run (this machine unless a test says), made when the scenario starts. */
    private java.util.function.Supplier<dev.slipway.slug.BuildSandbox> sandbox = dev.slipway.slug.HostSandbox::new;
    /** The built-in buildpacks; none unless a test says. */
    private Path builtIns;
    // Set up once before the test class's tests (beforeAll).
    Path dir;
    EmbeddedZooKeeper server;
    CuratorFramework zk;
    Vertx vertx;
    AppStore apps;
    ReleaseStore releases;
    ApiServer.Parts parts;
    ApiServer api;
    URI base;
    /** The first admin's token, made as a framework's first start makes it: every helper sends it. */
    String adminToken;
    /** Signs as the API's framework does: download URLs and tasks' log credentials. */
    Signer signer;

    /** One per test class: {@code @RegisterExtension static final ApiScenario api = new ApiScenario();}. */
    ApiScenario() {
        this(ApiAccess.NONE);
    }

    /** This scenario, its apps keeping their last {@code releases} releases. */
    ApiScenario keeping(int releases) {
        keepReleases = releases;
        return this;
    }

    /**
     * This scenario, building in the sandbox {@code sandbox} makes when the scenario starts (it may
     * abort the test class, as a missing Docker engine does), with the built-ins in {@code builtIns}.
     */
    ApiScenario buildingIn(java.util.function.Supplier<dev.slipway.slug.BuildSandbox> sandbox, Path builtIns) {
        this.sandbox = sandbox;
        this.builtIns = builtIns;
        return this;
    }

    /** An API that also takes the origins and host names {@code access} allows. */
    ApiScenario(ApiAccess access) {
        this.access = access;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("slipway-api-test-");
        vertx = Vertx.vertx();
        server = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        zk = ZkClient.connect(server.connectString(), "/api-test", credentials.slipway(), credentials.acls(), 30);
        apps = new AppStore(zk);
        releases = new ReleaseStore(zk);
        adminToken = Bootstrap.firstAdmin(apps.accounts(), Clock.systemUTC().instant()).orElseThrow();
        signer = new Signer(apps.accounts().signingKey());
        Path data = dir.resolve("data");
        Path buildpacks = builtIns != null ? builtIns : Files.createDirectories(dir.resolve("no-built-ins"));
        SlugStore slugs = new SlugStore(data);
        Builds builds = new Builds(data, new BuildpackCompiler(slugs, data, buildpacks, sandbox.get()));
        Deployer deployer = new Deployer(apps, releases, builds, new dev.slipway.framework.release.ReleaseHistory(apps,
                releases, new InstanceStore(zk), slugs, keepReleases), released::incrementAndGet, Clock.systemUTC());
        parts = new ApiServer.Parts(apps, releases, new InstanceStore(zk), slugs, deployer,
                Files.createFile(dir.resolve("slipway-executor.jar")), data.resolve("uploads"), "localhost", 8080,
                () -> { }, mesosSubscribed::get, () -> Map.copyOf(vetoes), Clock.systemUTC())
                .withAgents(agents).withOneOffs(new dev.slipway.framework.schedule.OneOffDesk() {
                    @Override
                    public java.util.concurrent.CompletableFuture<dev.slipway.framework.deploy.OneOff> run(
                            String app, String command, Map<String, String> env, dev.slipway.zk.Size size, long ttl) {
                        return oneOffs.run(app, command, env, size, ttl);
                    }

                    @Override
                    public java.util.concurrent.CompletableFuture<Boolean> stop(String app, String name) {
                        return oneOffs.stop(app, name);
                    }

                    @Override
                    public boolean pending(String app, String name) {
                        return oneOffs.pending(app, name);
                    }
                });
        start();
    }

    /** Starts the API (again, after {@link #stopApi}), as a framework start does. */
    void start() throws Exception {
        api = ApiServer.start(vertx, "127.0.0.1", 0, null, access, parts).await(30, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + api.port() + "/");
    }

    void stopApi() throws Exception {
        api.close().await(10, TimeUnit.SECONDS);
    }

    Path buildOutput() {
        return parts.buildOutput();
    }

    // --- apps and buildpacks

    void givenApp(String name) throws Exception {
        HttpResponse<String> created = post("/apps", "{\"name\":\"" + name + "\"}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("cannot create app " + name + ": " + created.body());
        }
    }

    void givenBuildpacks(String app, Path... buildpacks) throws Exception {
        HttpResponse<String> set = put("/apps/" + app + "/buildpacks", Json.mapper().writeValueAsString(
                Map.of("buildpacks", List.of(buildpacks).stream().map(Path::toString).toList())));
        if (set.statusCode() != 200) {
            throw new IllegalStateException("cannot set buildpacks: " + set.body());
        }
    }

    /**
     * A buildpack that says {@code line}, then waits until {@code signal} exists before it
     * finishes, and releases {@code web: ./serve} with one config var.
     */
    Path aBuildpackThatWaitsFor(Path signal, String line) throws IOException {
        return aBuildpack("Waiter", "echo \"" + line + "\"\n"
                + "while [ ! -f '" + signal + "' ]; do sleep 0.05; done\n"
                + "echo '       signal seen'\n");
    }

    Path aBuildpackThatFails() throws IOException {
        return aBuildpack("Failing", "echo '       about to fail'\nexit 3\n");
    }

    /** A buildpack that releases {@code web: ./serve} with the config var {@code SECRET=value}. */
    Path aBuildpackReleasingTheSecret(String value) throws IOException {
        Path bp = aBuildpack("Secretive", "echo '       compiled'\n");
        script(bp.resolve("bin").resolve("release"), "cat <<'YAML'\n---\nconfig_vars:\n  SECRET: " + value + "\n"
                + "default_process_types:\n  web: ./serve\nYAML\n");
        return bp;
    }

    Path aBuildpack(String kind, String compile) throws IOException {
        Path bp = Files.createTempDirectory(dir, "buildpack-");
        Path bin = Files.createDirectories(bp.resolve("bin"));
        script(bin.resolve("detect"), "echo " + kind + "\n");
        script(bin.resolve("compile"), compile);
        script(bin.resolve("release"), "cat <<'YAML'\n---\nconfig_vars:\n  GREETING: hello from the buildpack\n"
                + "default_process_types:\n  web: ./serve\nYAML\n");
        return bp;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    // --- builds

    /** A gzip tar holding one small file. */
    static byte[] aSource() throws IOException {
        return aSourceSaying("serving");
    }

    /** A gzip tar holding one small script that echoes {@code words}: another source, another slug. */
    static byte[] aSourceSaying(String words) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            byte[] content = ("#!/bin/sh\necho " + words + "\n").getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("serve");
            entry.setSize(content.length);
            entry.setMode(0755);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    HttpResponse<String> upload(String app, byte[] source) throws Exception {
        return uploadTo("/apps/" + app + "/builds", source);
    }

    /** Uploads a source to {@code path} (the app's builds, with a query). */
    HttpResponse<String> uploadTo(String path, byte[] source) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(source)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads a source and returns the pending build. */
    JsonNode build(String app) throws Exception {
        HttpResponse<String> accepted = upload(app, aSource());
        if (accepted.statusCode() != 201) {
            throw new IllegalStateException("build not accepted: " + accepted.statusCode() + " " + accepted.body());
        }
        return Json.mapper().readTree(accepted.body());
    }

    /** Waits until the build is no longer pending and returns it. */
    JsonNode finished(String app, String id) {
        return Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> json("/apps/" + app + "/builds/" + id),
                        build -> !build.path("status").asText().equals("pending"));
    }

    // --- HTTP

    /**
     * A request to {@code path} with the admin's token, or, for an app's log lines, the credential
     * of one of the app's tasks (as its executor sends).
     */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization(path));
    }

    /** The same, without any credential. */
    HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(Duration.ofSeconds(30));
    }

    /** The same, with {@code token} as the bearer token. */
    HttpRequest.Builder as(String token, String path) {
        return anonymous(path).header("Authorization", "Bearer " + token);
    }

    /** The {@code Authorization} value the helpers send to {@code path}. */
    String authorization(String path) {
        java.util.regex.Matcher logLines = java.util.regex.Pattern.compile("/apps/([^/]+)/log-lines/?")
                .matcher(path);
        return "Bearer " + (logLines.matches() ? signer.taskCredential(logLines.group(1) + ".web.1.v1.0000abcd")
                : adminToken);
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) throws Exception {
        return Json.mapper().readTree(get(path).body());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> patch(String path, String json) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String json) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A response read off a raw socket: for the requests Java's HTTP client will not send (any Host). */
    record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Sends {@code method path} with exactly {@code headers} (no Host unless given; the admin's
     * {@code Authorization} unless one is given) and {@code body}, as a browser or a hand-written
     * client could, and reads the whole answer.
     */
    Raw raw(String method, String path, Map<String, String> headers, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Authorization"))) {
            head.append("Authorization: ").append(authorization(path.split("\\?")[0])).append("\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return send(request);
    }

    /**
     * Sends {@code request} as it is, bytes the HTTP layer must refuse included, and reads the
     * answer until the server closes the connection (it does after a refusal, and after any
     * answer to a request that says {@code Connection: close}).
     */
    Raw send(byte[] request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it reads all of a request it refuses.
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String[] lines = answer.substring(0, end).split("\r\n");
            Map<String, String> answered = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                answered.put(lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), answered, answer.substring(end + 4));
        }
    }

    /** The API's own {@code Host} value. */
    String host() {
        return "127.0.0.1:" + api.port();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public void close() throws Exception {
        api.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
        zk.close();
        server.close();
    }
}
