package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.zk.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the OpenAPI area files are found and merged, wherever they are packed, and how routes are
 * read back from a router, regular expressions included.
 */
class OpenApiFilesTest {
    @TempDir
    Path dir;

    @Test
    void areaFilesAreFoundInAJarAsInAFolder() throws Exception {
        Path jar = dir.resolve("area.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // No entry for the folder itself, as some jar tools pack them.
            for (String name : new String[] {OpenApi.BASE, OpenApi.FOLDER + "/git.json",
                    OpenApi.FOLDER + "/events.json", OpenApi.FOLDER + "/nested/ignored.json", "elsewhere.json"}) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write("{\"paths\": {}}".getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        Path folder = Files.createDirectories(dir.resolve("classes").resolve(OpenApi.FOLDER));
        Files.writeString(folder.resolve("auth.json"), "{\"paths\": {}}");
        Files.writeString(folder.resolve("README.txt"), "not an area");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL(),
                dir.resolve("classes").toUri().toURL()}, null)) {
            assertThat(OpenApi.areaFiles(loader).keySet()).containsExactly("auth.json", "events.json", "git.json");
        }
    }

    @Test
    void twoAreasDescribingTheSameOperationFailTheMerge() throws Exception {
        ObjectNode document = Json.mapper().createObjectNode();
        OpenApi.merge(document, Json.mapper().readTree(
                "{\"paths\": {\"/x\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}}},"
                        + "\"components\": {\"schemas\": {\"X\": {\"type\": \"string\"}}}}"), "a.json");
        OpenApi.merge(document, Json.mapper().readTree(
                "{\"paths\": {\"/x\": {\"post\": {\"responses\": {\"201\": {\"description\": \"ok\"}}}}},"
                        + "\"components\": {\"schemas\": {\"X\": {\"type\": \"string\"}}}}"), "b.json");

        assertThat(document.at("/paths/~1x").fieldNames()).toIterable().containsExactly("get", "post");
        assertThatThrownBy(() -> OpenApi.merge(document, Json.mapper().readTree(
                "{\"paths\": {\"/x\": {\"get\": {}}}}"), "c.json")).hasMessageContaining("describes /x get again");
        assertThatThrownBy(() -> OpenApi.merge(document, Json.mapper().readTree(
                "{\"components\": {\"schemas\": {\"X\": {\"type\": \"integer\"}}}}"), "d.json"))
                .hasMessageContaining("components/schemas/X differently");
        assertThatThrownBy(() -> OpenApi.merge(document, Json.mapper().readTree("{\"info\": {}}"), "e.json"))
                .hasMessageContaining("only paths and components");
    }

    @Test
    void routesAreReadBackAsTemplatesOrRegularExpressionsWithTheirMethods() {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            router.route().handler(ctx -> ctx.next());
            router.get("/apps/:app/builds/:id").handler(ctx -> { });
            router.post("/apps/:app/builds/:id").handler(ctx -> { });
            router.routeWithRegex(HttpMethod.GET, "/git/([a-z][a-z0-9-]*)\\.git/info/refs").handler(ctx -> { });

            RouteTable table = RouteTable.of(router);

            assertThat(table.entries()).extracting(RouteTable.Entry::template)
                    .containsExactly("/apps/{app}/builds/{id}", "/git/([a-z][a-z0-9-]*)\\.git/info/refs");
            assertThat(table.entries().get(0).methods()).isEqualTo(Set.of(HttpMethod.GET, HttpMethod.POST));
            assertThat(table.entries().get(1).regex()).isTrue();
            assertThat(table.methodsFor("/git/hello.git/info/refs")).containsExactly(HttpMethod.GET);
            assertThat(table.methodsFor("/apps/a/builds/b/")).hasSize(2);
            assertThat(table.methodsFor("/apps/a/builds")).isEmpty();
            assertThat(RouteTable.allow(table.methodsFor("/apps/a/builds/b"))).isEqualTo("GET, POST");
        } finally {
            vertx.close();
        }
    }
}
