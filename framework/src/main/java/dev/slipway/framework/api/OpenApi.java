package dev.slipway.framework.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.zk.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The API's OpenAPI 3.1 document, served at {@code GET /openapi.json} (public, cacheable). Made
 * once at start-up from {@value #BASE} (info, servers, security schemes, shared components) and
 * every {@code *.json} file directly in the classpath folder {@value #FOLDER}, each one area's
 * {@code {"paths": {...}, "components": {"schemas": {...}}}}, read from a directory or from a jar:
 * an area adds its routes by adding its file there. Two files describing the same operation, or
 * the same component differently, fail the start-up: the document has one truth.
 */
public final class OpenApi {
    /** The classpath folder holding one file per area. */
    public static final String FOLDER = "dev/slipway/framework/api/openapi";
    /** The classpath resource holding the document's base. */
    public static final String BASE = "dev/slipway/framework/api/openapi-base.json";

    private final String json;
    private final String etag;

    private OpenApi(String json) {
        this.json = json;
        this.etag = "\"" + sha256(json).substring(0, 32) + "\"";
    }

    /** The document merged from this class's class loader (blocking: reads files). */
    public static OpenApi load() {
        ClassLoader loader = OpenApi.class.getClassLoader();
        ObjectNode document = (ObjectNode) read(loader.getResource(BASE), BASE);
        Map<String, URL> files = areaFiles(loader);
        files.forEach((name, url) -> merge(document, read(url, name), name));
        try {
            return new OpenApi(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the OpenAPI document", e);
        }
    }

    /** The document as JSON. */
    public String json() {
        return json;
    }

    void mount(Router router) {
        router.get("/openapi.json").handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        ctx.response().putHeader("Cache-Control", "public, max-age=300").putHeader("ETag", etag)
                .putHeader("Vary", "Origin");
        String asked = ctx.request().getHeader("If-None-Match");
        if (etag.equals(asked)) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(json);
    }

    /** The area files ({@code *.json} in {@link #FOLDER}) by name, wherever on the classpath they are. */
    static Map<String, URL> areaFiles(ClassLoader loader) {
        Map<String, URL> files = new TreeMap<>();
        try {
            List<URL> places = new ArrayList<>(Collections.list(loader.getResources(FOLDER)));
            // A jar packed without directory entries has no resource for the folder itself: its
            // files are found beside the base, which every jar of this module holds.
            places.addAll(Collections.list(loader.getResources(BASE)));
            for (URL place : places) {
                for (String name : names(place)) {
                    if (name.endsWith(".json")) {
                        files.putIfAbsent(name, loader.getResource(FOLDER + "/" + name));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FOLDER + " on the classpath", e);
        }
        return files;
    }

    private static Iterable<String> names(URL folder) throws IOException {
        if ("file".equals(folder.getProtocol())) {
            Path path;
            try {
                path = Path.of(folder.toURI());
            } catch (URISyntaxException e) {
                throw new IOException("cannot read " + folder, e);
            }
            if (Files.isRegularFile(path)) {
                path = path.resolveSibling(FOLDER.substring(FOLDER.lastIndexOf('/') + 1));
            }
            if (!Files.isDirectory(path)) {
                return List.of();
            }
            try (Stream<Path> listed = Files.list(path)) {
                return listed.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
            }
        }
        if ("jar".equals(folder.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) folder.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String prefix = FOLDER + "/";
                return jar.stream().map(JarEntry::getName)
                        .filter(name -> name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0
                                && name.length() > prefix.length())
                        .map(name -> name.substring(prefix.length())).toList();
            }
        }
        throw new IOException("cannot list " + folder + ": only directories and jars are read");
    }

    private static JsonNode read(URL url, String name) {
        if (url == null) {
            throw new IllegalStateException("the OpenAPI file " + name + " is not on the classpath");
        }
        try (InputStream in = url.openStream()) {
            JsonNode node = Json.mapper().readTree(in);
            if (node == null || !node.isObject()) {
                throw new IllegalStateException("the OpenAPI file " + name + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI file " + name, e);
        }
    }

    /** Adds an area's paths and components to the document; the same operation or component twice fails. */
    static void merge(ObjectNode document, JsonNode area, String name) {
        Iterator<String> keys = area.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.equals("paths") && !key.equals("components")) {
                throw new IllegalStateException("the OpenAPI file " + name + " has '" + key
                        + "': an area file holds only paths and components");
            }
        }
        ObjectNode paths = document.withObject("/paths");
        area.path("paths").fields().forEachRemaining(path -> {
            ObjectNode operations = paths.withObject("/" + escape(path.getKey()));
            path.getValue().fields().forEachRemaining(operation -> {
                if (operations.has(operation.getKey())) {
                    throw new IllegalStateException("the OpenAPI file " + name + " describes " + path.getKey() + " "
                            + operation.getKey() + " again");
                }
                operations.set(operation.getKey(), operation.getValue());
            });
        });
        ObjectNode components = document.withObject("/components");
        area.path("components").fields().forEachRemaining(section -> {
            ObjectNode into = components.withObject("/" + section.getKey());
            section.getValue().fields().forEachRemaining(component -> {
                JsonNode before = into.get(component.getKey());
                if (before != null && !before.equals(component.getValue())) {
                    throw new IllegalStateException("the OpenAPI file " + name + " gives components/" + section.getKey()
                            + "/" + component.getKey() + " differently from another file");
                }
                into.set(component.getKey(), component.getValue());
            });
        });
    }

    /** A name as one step of a JSON pointer. */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
