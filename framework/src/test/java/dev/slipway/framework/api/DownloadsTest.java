package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.slug.Slug;
import dev.slipway.slug.SlugStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What agents fetch from the framework, over real HTTP: GET for the bytes, HEAD for the size. */
class DownloadsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // sha256("hello") = 2cf24dba5fb0a30e...
    private static final String JAR_URL = "/executor/2cf24dba5fb0a30e/slipway-executor.jar";

    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();
    private SlugStore slugs;
    private String base;

    @BeforeEach
    void serve() throws Exception {
        Path jar = Files.writeString(dir.resolve("slipway-executor.jar"), "hello");
        slugs = new SlugStore(dir.resolve("data"));
        Router router = Router.router(vertx);
        new Downloads(slugs, jar).mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void theExecutorJarIsServedAtAUrlNamingItsDigest() throws Exception {
        HttpResponse<String> jar = get(JAR_URL);

        assertThat(jar.statusCode()).isEqualTo(200);
        assertThat(jar.body()).isEqualTo("hello");
        assertThat(jar.headers().firstValue("Content-Type")).hasValue("application/java-archive");
    }

    @Test
    void aHeadRequestTellsTheSizeAsAnAgentAsksBeforeCaching() throws Exception {
        Slug slug = slugs.write(out -> out.write(new byte[1234]));

        assertThat(head(JAR_URL).headers().firstValueAsLong("Content-Length")).hasValue(5);
        HttpResponse<String> slugHead = head("/slugs/" + slug.digest() + ".tgz");
        assertThat(slugHead.statusCode()).isEqualTo(200);
        assertThat(slugHead.headers().firstValueAsLong("Content-Length")).hasValue(1234);
        assertThat(slugHead.body()).isEmpty();
    }

    @Test
    void anotherDigestIsNotServedSoThatNoAgentCachesTheWrongJar() throws Exception {
        HttpResponse<String> other = get("/executor/0123456789abcdef/slipway-executor.jar");

        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains(JAR_URL);
    }

    @Test
    void theOldUrlWithoutTheDigestStillServesTheJar() throws Exception {
        HttpResponse<String> jar = get("/executor/slipway-executor.jar");

        assertThat(jar.statusCode()).isEqualTo(200);
        assertThat(jar.body()).isEqualTo("hello");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> head(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
