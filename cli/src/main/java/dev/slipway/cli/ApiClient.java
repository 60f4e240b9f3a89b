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

    /** A DELETE that may take up to {@code timeout} to answer (an app's destroy waits for its instances). */
    JsonNode delete(String path, Duration timeout) {
        return send(request(path).timeout(timeout).DELETE());
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

    /** The resource at {@code path}, or null when the API answers 404 (it does not exist, or not yet). */
    JsonNode find(String path) {
        HttpResponse<String> response = exchange(request(path).GET());
        return response.statusCode() == 404 ? null : checked(response);
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

    /**
     * How one connection to an SSE stream ended: whether it was opened at all, the id of the last
     * message read (null: none), and why it ended when it broke.
     */
    record StreamEnd(boolean received, String lastEventId, String why) {
    }

    /** Hears each SSE message: its {@code event:} (or {@code message}) and its data. */
    interface SseHandler {
        void message(String event, String data);
    }

    /**
     * Reads an SSE stream ({@code Accept: text/event-stream}) from {@code lastEventId} on, handing
     * each message on as it comes, until the stream ends or breaks. An error answer (4xx) is a
     * {@link CliError}; an unreachable or unavailable API, or a broken stream, is a
     * {@link StreamEnd} to retry from. {@code whenOpen} is told once the stream is open.
     */
    StreamEnd events(String path, String lastEventId, SseHandler handler, Runnable whenOpen) {
        HttpRequest.Builder builder = authorized(HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path)))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return new StreamEnd(false, lastEventId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StreamEnd(false, lastEventId, "interrupted");
        }
        // A read of the body does not answer an interrupt: it runs on a thread of its own, and an
        // interrupted caller (Ctrl-C in a test, a stopping caller) closes the body and returns.
        SseReader reader = new SseReader(response, lastEventId, handler, whenOpen);
        java.util.concurrent.FutureTask<StreamEnd> read = new java.util.concurrent.FutureTask<>(reader);
        Thread thread = new Thread(read, "slipway-sse " + path);
        thread.setDaemon(true);
        thread.start();
        try {
            return read.get();
        } catch (InterruptedException e) {
            reader.stop();
            Thread.currentThread().interrupt();
            return new StreamEnd(false, reader.lastId, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof CliError error) {
                throw error;
            }
            throw new CliError("the event stream from " + base + " failed: " + e.getCause());
        }
    }

    /** Reads one SSE response to its end, handing each message on. */
    private final class SseReader implements java.util.concurrent.Callable<StreamEnd> {
        private final HttpResponse<InputStream> response;
        private final String from;
        private final SseHandler handler;
        private final Runnable whenOpen;
        private volatile boolean stopped;
        volatile String lastId;

        SseReader(HttpResponse<InputStream> response, String from, SseHandler handler, Runnable whenOpen) {
            this.response = response;
            this.from = from;
            this.lastId = from;
            this.handler = handler;
            this.whenOpen = whenOpen;
        }

        @Override
        public StreamEnd call() {
            boolean opened = false;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                if (response.statusCode() >= 400) {
                    JsonNode problem = parse(reader.lines().collect(Collectors.joining("\n")));
                    if (response.statusCode() >= 500) {
                        return new StreamEnd(false, from, problem.path("detail").asText("the API answered "
                                + response.statusCode()));
                    }
                    throw error(response.statusCode(), problem);
                }
                opened = true;
                whenOpen.run();
                String event = null;
                String id = null;
                StringBuilder data = null;
                for (String line = reader.readLine(); line != null && !stopped; line = reader.readLine()) {
                    if (line.isEmpty()) {
                        if (data != null) {
                            handler.message(event == null ? "message" : event, data.toString());
                        }
                        if (id != null) {
                            lastId = id;
                        }
                        event = null;
                        id = null;
                        data = null;
                    } else if (line.startsWith("id:")) {
                        id = field(line);
                    } else if (line.startsWith("event:")) {
                        event = field(line);
                    } else if (line.startsWith("data:")) {
                        data = data == null ? new StringBuilder(field(line)) : data.append('\n').append(field(line));
                    }
                }
                return new StreamEnd(true, lastId, null);
            } catch (IOException e) {
                // The stream broke off: said by the caller if it lasts.
                return new StreamEnd(opened, lastId, e.getMessage());
            }
        }

        void stop() {
            stopped = true;
            try {
                response.body().close();
            } catch (IOException e) {
                // Closing only frees the connection sooner.
            }
        }
    }

    private static String field(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
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

    /** {@code text} as one segment of an API path (a hostname, a process type): percent-encoded, spaces as %20. */
    static String segment(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
