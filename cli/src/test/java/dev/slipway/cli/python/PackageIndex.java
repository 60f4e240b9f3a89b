package dev.slipway.cli.python;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A Python package index on loopback, as pip reads PyPI: PEP 503's simple API over HTTP
 * ({@code /simple/} lists the projects, {@code /simple/<project>/} links each of its wheels with
 * its sha256) and the wheels under {@code /files/}. Builds in the stack reach it, as they share
 * this machine's network. It counts the wheels it hands out.
 */
public final class PackageIndex implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Wheel> wheels = new ConcurrentHashMap<>();
    private final List<String> downloads = new CopyOnWriteArrayList<>();

    private PackageIndex(HttpServer server) {
        this.server = server;
    }

    /** An index of these wheels, listening on a port of 127.0.0.1 the system chose. */
    public static PackageIndex serving(Wheel... wheels) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        PackageIndex index = new PackageIndex(server);
        for (Wheel wheel : wheels) {
            index.wheels.put(wheel.fileName(), wheel);
        }
        server.createContext("/", index::handle);
        server.start();
        return index;
    }

    /** What {@code PIP_INDEX_URL} is set to. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
    }

    /** The file names of the wheels downloaded so far, in order. */
    public List<String> downloads() {
        return List.copyOf(downloads);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (path.equals("/simple/")) {
                send(exchange, page(wheels.values().stream().map(Wheel::project).distinct()
                        .map(project -> "<a href=\"" + project + "/\">" + project + "</a>")
                        .collect(Collectors.joining("\n"))));
            } else if (path.startsWith("/simple/") && path.endsWith("/")) {
                String project = path.substring("/simple/".length(), path.length() - 1);
                String links = wheels.values().stream().filter(wheel -> wheel.project().equals(project))
                        .map(wheel -> "<a href=\"/files/" + wheel.fileName() + "#sha256="
                                + HexFormat.of().formatHex(Wheel.sha256(wheel.bytes())) + "\">" + wheel.fileName()
                                + "</a>")
                        .collect(Collectors.joining("\n"));
                if (links.isEmpty()) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    send(exchange, page(links));
                }
            } else if (path.startsWith("/files/") && wheels.containsKey(path.substring("/files/".length()))) {
                String file = path.substring("/files/".length());
                downloads.add(file);
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                byte[] body = wheels.get(file).bytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private static String page(String links) {
        return "<!DOCTYPE html>\n<html><body>\n" + links + "\n</body></html>\n";
    }

    private static void send(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
