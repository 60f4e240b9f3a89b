package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Third-party buildpacks given by URL: a tarball over HTTP on loopback, a git repository cloned with git. */
class UrlBuildpacksTest {
    private static final Path BUILT_INS = Path.of("").toAbsolutePath().getParent().resolve("buildpacks");

    @TempDir
    Path tmp;

    private SlugStore store;
    private HttpServer http;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        store = new SlugStore(tmp.resolve("data"));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    /** A buildpack that says who it is, in a folder named like GitHub's release tarballs. */
    private AppDir aBuildpack(String greeting) {
        AppDir pack = AppDir.at(tmp.resolve("bp-src/greeter-1.0"));
        pack.executable("bin/detect", "#!/usr/bin/env bash\necho Greeter\n");
        pack.executable("bin/compile", "#!/usr/bin/env bash\nset -euo pipefail\necho '-----> " + greeting + "'\n"
                + "echo " + greeting + " > \"$1/greeting.txt\"\n");
        pack.executable("bin/release", "#!/usr/bin/env bash\necho '---'\necho 'default_process_types:'\n"
                + "echo '  web: cat greeting.txt'\n");
        return pack;
    }

    private String serve(String path, byte[] body, int status) {
        http.createContext(path, exchange -> {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private CompiledSlug build(String buildpack) {
        AppDir app = AppDir.at(tmp.resolve("app-" + System.nanoTime())).file("README", "hello\n");
        return new BuildpackCompiler(store, tmp.resolve("data"), BUILT_INS, List.of(), Duration.ofMinutes(1),
                ProcfileCompiler.DEFAULT_MAX_SLUG_BYTES, new HostSandbox())
                .compile(new BuildRequest("hello", app.root(), output::add, Map.of(), List.of(buildpack)));
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(out).isZero();
    }

    @Test
    void runsABuildpackDownloadedAsAGzipTarballFromInsideItsSingleFolder() {
        aBuildpack("Hello from a tarball");
        String url = serve("/greeter.tgz", RealTar.create(tmp.resolve("bp-src")), 200);

        CompiledSlug compiled = build(url);

        assertThat(output).contains("-----> Fetching buildpack " + url, "-----> Greeter app detected",
                "-----> Hello from a tarball");
        assertThat(compiled.processTypes()).containsEntry("web", "cat greeting.txt");
    }

    @Test
    void runsABuildpackClonedFromAGitRepositoryAtTheGivenTag() throws Exception {
        AppDir pack = aBuildpack("Hello from v1");
        git(pack.root(), "init", "-q", "-b", "main");
        git(pack.root(), "add", ".");
        git(pack.root(), "commit", "-q", "-m", "v1");
        git(pack.root(), "tag", "v1");
        aBuildpack("Hello from main");
        git(pack.root(), "commit", "-q", "-am", "main moves on");

        build("file://" + pack.root() + "#v1");

        assertThat(output).contains("-----> Hello from v1").doesNotContain("-----> Hello from main");
    }

    @Test
    void failsNamingTheUrlWhenTheTarballIsMissing() {
        String url = serve("/missing.tgz", new byte[0], 404);

        assertThatThrownBy(() -> build(url))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("buildpack " + url + " cannot be downloaded: HTTP 404");
        assertThat(store.directory()).isEmptyDirectory();
    }

    @Test
    void failsWhenTheDownloadIsNotABuildpack() {
        AppDir.at(tmp.resolve("not-bp")).file("README", "just text\n");
        String url = serve("/readme.tgz", RealTar.create(tmp.resolve("not-bp")), 200);

        assertThatThrownBy(() -> build(url))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("buildpack " + url + " is not a buildpack: it has no bin/compile");
    }

    @Test
    void failsNamingGitsReasonWhenTheRepositoryCannotBeCloned() {
        String url = "file://" + tmp.resolve("no-such-repo");

        assertThatThrownBy(() -> build(url))
                .isInstanceOf(BuildFailed.class)
                .hasMessageStartingWith("buildpack " + url + " cannot be cloned: git exited 128: ")
                .hasMessageContaining("does not appear to be a git repository");
    }
}
