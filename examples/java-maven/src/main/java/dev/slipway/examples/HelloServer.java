package dev.slipway.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A web app on the JDK's own HTTP server: {@code GET /} says hello from its dyno, on $PORT. */
public final class HelloServer {
    private HelloServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "5000"));
        String dyno = System.getenv().getOrDefault("DYNO", "web.1");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 128);
        server.createContext("/", exchange -> respond(exchange, dyno));
        // Stop accepting on SIGTERM and give in-flight requests a second to finish, as a
        // well-behaved dyno does (older JDK 17 updates wait out the whole second even when idle).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("SIGTERM: stopping");
            server.stop(1);
        }, "shutdown"));
        server.start();
        System.out.println("listening on port " + port);
    }

    private static void respond(HttpExchange exchange, String dyno) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                send(exchange, 404, "not found\n");
            } else if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "method not allowed\n");
            } else {
                send(exchange, 200, "Hello from Java on Slipway! (" + dyno + ")\n");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
