package dev.slipway.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the {@code ./slipway} launcher runs once per jar with {@code -XX:ArchiveClassesAtExit}, so
 * that later client verbs start from a class-data archive (AppCDS) holding the classes they load:
 * picocli's model of every command, Jackson, the HTTP client, tables and errors. It runs the usual
 * read verbs against a small HTTP server in this JVM that answers as the API does, with canned
 * bodies; their output is discarded. Not a command: nothing here is on a user's path.
 */
final class ClassDataTraining {
    private static final String APP = "{\"name\":\"training\",\"web_url\":\"http://training.localhost:8080/\","
            + "\"release\":1,\"kill_grace_seconds\":10,\"kill_grace_default\":true,\"created_at\":\"2026-01-01T00:00:00Z\"}";
    private static final Map<String, String> BODIES = Map.of(
            "/apps", "[" + APP + "]",
            "/apps/training", APP,
            "/apps/training/formation", "[{\"type\":\"web\",\"quantity\":1,\"size\":\"small\",\"cpus\":0.1,"
                    + "\"memory_mb\":256,\"constraints\":[]}]",
            "/apps/training/dynos", "[{\"name\":\"web.1\",\"type\":\"web\",\"state\":\"up\",\"release\":1,"
                    + "\"host\":\"127.0.0.1\",\"port\":31000,\"updated_at\":\"2026-01-01T00:00:00Z\",\"message\":\"\"}]",
            "/apps/training/releases", "[{\"version\":1,\"description\":\"Deploy abc\",\"created_at\":\"2026-01-01T00:00:00Z\"}]",
            "/apps/training/builds", "[{\"id\":\"01234567-89ab-cdef-0123-456789abcdef\",\"status\":\"succeeded\","
                    + "\"release\":{\"version\":1},\"created_at\":\"2026-01-01T00:00:00Z\"}]",
            "/apps/training/buildpacks", "[{\"buildpack\":\"nodejs\",\"ordinal\":0}]",
            "/apps/training/features", "[{\"name\":\"https-only\",\"enabled\":false,"
                    + "\"description\":\"Redirect plain HTTP to HTTPS\",\"doc_url\":\"docs/tls.md\"}]");

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws IOException {
        train();
    }

    /**
     * Runs the verbs and returns their exit codes: first those that succeed, then {@link #FAILING}
     * that fail. Not {@code open}, which on a desktop would open a browser.
     */
    static List<Integer> train() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = BODIES.get(exchange.getRequestURI().getPath());
            int status = body == null ? 404 : 200;
            byte[] bytes = (body == null ? "{\"status\":404,\"detail\":\"app 'nobody' does not exist\"}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", body == null ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        String api = "http://127.0.0.1:" + server.getAddress().getPort();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<Integer> exitCodes = new ArrayList<>();
        try {
            System.setOut(discard);
            System.setErr(discard);
            for (String[] verb : SUCCEEDING) {
                exitCodes.add(Main.run(withApi(verb, api)));
            }
            for (String[] verb : FAILING) {
                exitCodes.add(Main.run(withApi(verb, api)));
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            server.stop(0);
        }
        return exitCodes;
    }

    static final String[][] SUCCEEDING = {
        {"--help"}, {"help", "ps"}, {"apps"}, {"apps", "--json"}, {"apps:info", "-a", "training"},
        {"apps:info", "--json", "-a", "training"}, {"ps", "-a", "training"}, {"ps", "--json", "-a", "training"},
        {"releases", "-a", "training"}, {"builds", "-a", "training"}, {"buildpacks", "-a", "training"},
        {"features", "-a", "training"},
    };
    static final String[][] FAILING = {
        {"apps:info", "-a", "nobody"}, {"no-such-verb"}, {"ps", "--no-such-option", "-a", "training"},
    };

    private static String[] withApi(String[] verb, String api) {
        String[] line = Arrays.copyOf(verb, verb.length + 2);
        line[verb.length] = "--api";
        line[verb.length + 1] = api;
        return line;
    }
}
