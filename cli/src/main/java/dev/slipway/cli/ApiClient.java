package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.slipway.zk.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/** The CLI's client of the REST API: JSON in and out; an error answer becomes a {@link CliError}. */
final class ApiClient {
    private final URI base;
    /** Sent as a bearer token on every call; null: none. */
    private final String token;
    private final HttpClient http = LazyTls.deferred(HttpClient.newBuilder())
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    ApiClient(String base, String token) {
        this.base = URI.create(base.endsWith("/") ? base : base + "/");
        this.token = token;
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /** The API's URL, ending in {@code /}. */
    URI base() {
        return base;
    }

    /**
     * The resource at {@code path}; a list answered in pages (206 with {@code Next-Range}) is read
     * to its end, page after page, and returned whole.
     */
    JsonNode get(String path) {
        HttpResponse<String> response = exchange(request(path).GET());
        JsonNode body = checked(response);
        if (response.statusCode() != 206 || !body.isArray()) {
            return body;
        }
        ArrayNode all = Json.mapper().createArrayNode();
        all.addAll((ArrayNode) body);
        Optional<String> next = response.headers().firstValue("Next-Range");
        while (response.statusCode() == 206 && next.isPresent()) {
            response = exchange(request(path).header("Range", next.get()).GET());
            body = checked(response);
            if (body.isArray()) {
                all.addAll((ArrayNode) body);
            }
            next = response.headers().firstValue("Next-Range");
        }
        return all;
    }

    JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    JsonNode patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json(body))));
    }

    JsonNode put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /**
     * Reads a text stream (a build's output) line by line, handing each line on as it arrives,
     * until the server ends it. {@code url} is absolute, or a path of the API.
     */
    void lines(String url, Consumer<String> line) {
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve(url.startsWith("/") ? url.substring(1)
                : url)))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "text/plain")
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                if (response.statusCode() >= 400) {
                    throw error(response.statusCode(), parse(reader.lines().collect(Collectors.joining("\n"))));
                }
                for (String next = reader.readLine(); next != null; next = reader.readLine()) {
                    line.accept(next);
                }
            }
        } catch (ConnectException e) {
            throw unreachable();
        } catch (IOException e) {
            throw new CliError("the output stream from " + base + " broke off: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("interrupted");
        }
    }

    /** Posts a gzip tarball, telling {@code sent} the bytes sent so far as they go. */
    JsonNode upload(String path, Path file, LongConsumer sent) throws IOException {
        return send(request(path).header("Content-Type", "application/gzip")
                .timeout(Duration.ofMinutes(30))
                .POST(UploadProgress.counted(HttpRequest.BodyPublishers.ofFile(file), sent)));
    }

    private HttpRequest.Builder request(String path) {
        return authorized(HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path)))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest.Builder request) {
        return checked(exchange(request));
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw unreachable();
        } catch (IOException e) {
            throw new CliError("the Slipway API at " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("interrupted");
        }
    }

    /** The answer's JSON; a {@link CliError} with its problem's detail when it is an error. */
    private JsonNode checked(HttpResponse<String> response) {
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw error(response.statusCode(), body);
        }
        return body;
    }

    private CliError unreachable() {
        return new CliError("cannot reach the Slipway API at " + base + ": is `slipway up` running?");
    }

    private CliError error(int status, JsonNode problem) {
        String detail = problem.path("detail").asText("");
        if (status == 401) {
            String base = this.base.toString().replaceAll("/$", "");
            return new CliError((token == null ? "no token for " + base : "the API at " + base
                    + " did not take the token: " + detail)
                    + ": run `slipway login --api " + base + "` (or set SLIPWAY_TOKEN)");
        }
        if (status == 403) {
            return new CliError("not yours: " + (detail.isEmpty() ? "the API answered 403" : detail));
        }
        return new CliError(!detail.isEmpty() ? detail : "the API answered " + status
                + (status >= 500 ? ": the framework's log (the output of `slipway up`) says why" : ""));
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            return Json.mapper().createObjectNode().put("detail", text.strip());
        }
    }

    private static String json(Object body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
