import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The static buildpack's web process: serves the files of the current directory (the app) on
 * $PORT (default 5000). GET and HEAD only; a directory serves its index.html; anything missing,
 * outside the app (also through a symlink) or hidden (a dot-file, this server) is a 404. Run it
 * with {@code java StaticServer.java} (Java 11+, no dependencies), or compiled, as the static
 * buildpack does: {@code java -cp .static-server StaticServer}.
 */
public final class StaticServer {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"), Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"), Map.entry("otf", "font/otf"), Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("webmanifest", "application/manifest+json"));

    private final Path root;

    private StaticServer(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "5000"));
        Path root = Path.of(args.length > 0 ? args[0] : ".").toRealPath();
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 128);
        server.createContext("/", new StaticServer(root)::handle);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        System.out.println("serving " + root + " on port " + port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                text(exchange, 405, "method not allowed\n");
                return;
            }
            Path file = resolve(exchange.getRequestURI());
            if (file == null) {
                text(exchange, 404, "not found\n");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType(file));
            long size = Files.size(file);
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    /** The regular file a request path names inside the root, or null. */
    private Path resolve(URI uri) {
        String path = uri.getPath();
        if (path == null || path.contains("\0")) {
            return null;
        }
        Path candidate = root.resolve(path.replaceFirst("^/+", "")).normalize();
        if (!candidate.startsWith(root)) {
            return null;
        }
        if (Files.isDirectory(candidate)) {
            candidate = candidate.resolve("index.html");
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real) || hidden(root.relativize(real))) {
                return null;
            }
            return real;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean hidden(Path relative) {
        for (Path name : relative) {
            if (name.toString().startsWith(".")) {
                return true;
            }
        }
        return relative.toString().equals("StaticServer.java");
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
