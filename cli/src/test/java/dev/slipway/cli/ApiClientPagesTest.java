package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The CLI reads a list the API answers in pages (206 with {@code Next-Range}, as Heroku's API
 * does) to its end, asking for each next page with the {@code Range} it was given.
 */
class ApiClientPagesTest {
    @Test
    void aListAnsweredInPagesIsReadToItsEnd() throws Exception {
        List<String> ranges = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/apps", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            String body;
            int status;
            if (range == null) {
                body = "[{\"name\":\"alpha\"},{\"name\":\"bravo\"}]";
                status = 206;
                exchange.getResponseHeaders().add("Next-Range", "name ]bravo..; max=2, order=asc");
            } else {
                body = "[{\"name\":\"charlie\"}]";
                status = 200;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            JsonNode apps = new ApiClient("http://127.0.0.1:" + server.getAddress().getPort()).get("/apps");

            assertThat(apps.findValuesAsText("name")).containsExactly("alpha", "bravo", "charlie");
            assertThat(ranges).containsExactly("null", "name ]bravo..; max=2, order=asc");
        } finally {
            server.stop(0);
        }
    }
}
