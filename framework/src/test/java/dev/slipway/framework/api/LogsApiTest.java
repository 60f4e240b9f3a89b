package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.logs.AppLogs;
import dev.slipway.zk.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The apps' logs through the REST API: lines shipped in, recent lines and live tails out. */
class LogsApiTest {
    private static final String T = "2026-01-02T03:04:05.123456+00:00 ";

    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void shippedLinesAreServedAsRecentLinesOldestFirst() throws Exception {
        api.givenApp("recent");

        assertThat(ship("recent", T + "app[web.1]: one\n" + T + "app[web.1]: two\r\n\n" + T + "app[web.2]: three\n")
                .statusCode()).isEqualTo(204);

        HttpResponse<String> shown = api.get("/apps/recent/logs");
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(shown.body()).isEqualTo(T + "app[web.1]: one\n" + T + "app[web.1]: two\n" + T + "app[web.2]: three\n");
        assertThat(api.get("/apps/recent/logs?lines=1").body()).isEqualTo(T + "app[web.2]: three\n");
    }

    @Test
    void aHundredLinesByDefaultAndAtMostFifteenHundred() throws Exception {
        api.givenApp("many");
        ship("many", IntStream.range(0, 2000).mapToObj(i -> T + "app[web.1]: line " + i + "\n")
                .collect(Collectors.joining()));

        List<String> byDefault = api.get("/apps/many/logs").body().lines().toList();
        List<String> all = api.get("/apps/many/logs?lines=99999").body().lines().toList();

        assertThat(byDefault).hasSize(100).last().asString().endsWith("line 1999");
        assertThat(all).hasSize(AppLogs.MAX_LINES).first().asString().endsWith("line 500");
        assertThat(problem(api.get("/apps/many/logs?lines=lots"), 400)).contains("lines must be a whole number");
    }

    @Test
    void dynoAndSourceFilterTheLines() throws Exception {
        api.givenApp("filtered");
        ship("filtered", T + "app[web.1]: a\n" + T + "app[web.2]: b\n" + T + "app[worker.1]: c\n");
        api.parts.logs().event("filtered", "web.1", "State changed from starting to up");

        assertThat(api.get("/apps/filtered/logs?dyno=web.1").body()).startsWith(T + "app[web.1]: a\n")
                .endsWith(" slipway[web.1]: State changed from starting to up\n");
        assertThat(api.get("/apps/filtered/logs?dyno=web&source=app").body()).isEqualTo(T + "app[web.1]: a\n"
                + T + "app[web.2]: b\n");
        assertThat(api.get("/apps/filtered/logs?source=slipway").body())
                .endsWith(" slipway[web.1]: State changed from starting to up\n").doesNotContain("app[");
        assertThat(problem(api.get("/apps/filtered/logs?source=heroku"), 400)).contains("source must be app, slipway or router");
        assertThat(problem(api.get("/apps/filtered/logs?dyno=web%201"), 400)).contains("dyno must name");
    }

    @Test
    void anUnknownAppIsNotFound() throws Exception {
        assertThat(problem(ship("nope", T + "app[web.1]: lost\n"), 404)).contains("app 'nope' does not exist");
        assertThat(problem(api.get("/apps/nope/logs"), 404)).contains("app 'nope' does not exist");
        assertThat(problem(api.get("/apps/nope/logs?tail=true"), 404)).contains("app 'nope' does not exist");
    }

    @Test
    void moreThanOneMegabyteAtOnceIsRefusedAndNothingIsKept() throws Exception {
        api.givenApp("flood");

        assertThat(oversizedShipment("flood", false)).startsWith("HTTP/1.1 413");
        assertThat(oversizedShipment("flood", true)).startsWith("HTTP/1.1 413");
        assertThat(api.get("/apps/flood/logs").body()).isEmpty();
        assertThat(ship("flood", T + "app[web.1]: fits\n").statusCode()).isEqualTo(204);
    }

    @Test
    void linesOverTenKilobytesAreCut() throws Exception {
        api.givenApp("long");
        ship("long", T + "app[web.1]: " + "y".repeat(20_000) + "\n");

        String kept = api.get("/apps/long/logs").body().strip();
        assertThat(kept).startsWith(T + "app[web.1]: yyy").hasSize(10 * 1024);
    }

    @Test
    void buildsAndReleasesAreWrittenIntoTheAppsLog() throws Exception {
        api.givenApp("built");
        api.givenBuildpacks("built", api.aBuildpack("Quick", "echo '       compiled'\n"));
        String good = api.build("built").path("id").asText();
        api.finished("built", good);
        api.givenBuildpacks("built", api.aBuildpackThatFails());
        String bad = api.build("built").path("id").asText();
        api.finished("built", bad);

        List<String> lines = api.get("/apps/built/logs?source=slipway&dyno=api").body().lines().toList();

        assertThat(lines).hasSize(5).allSatisfy(line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]{15}\\+00:00 "
                + "slipway\\[api\\]: .*"));
        assertThat(lines.stream().map(line -> line.substring(line.indexOf("]: ") + 3))).containsExactly(
                "Build started (build " + good.substring(0, 8) + ")",
                "Build succeeded (build " + good.substring(0, 8) + ")",
                "Release v1 created (" + api.json("/apps/built/releases").get(0).path("description").asText() + ")",
                "Build started (build " + bad.substring(0, 8) + ")",
                "Build failed (build " + bad.substring(0, 8) + "): " + api.json("/apps/built/builds/" + bad)
                        .path("error").asText().lines().findFirst().orElseThrow());
    }

    @Test
    void aTailSendsTheRecentLinesThenEachLineShippedAfterItStarted() throws Exception {
        api.givenApp("tailed");
        ship("tailed", T + "app[web.1]: before\n");

        HttpResponse<InputStream> tail = ApiScenario.HTTP.send(api.request("/apps/tailed/logs?tail=true&dyno=web.1").GET()
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> received = lines(tail.body());
        assertThat(tail.statusCode()).isEqualTo(200);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(T + "app[web.1]: before");
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> api.parts.logs().followers("tailed") == 1);

        ship("tailed", T + "app[web.2]: not followed\n" + T + "app[web.1]: after\n");
        api.parts.logs().event("tailed", "web.1", "State changed from up to down");

        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(T + "app[web.1]: after");
        assertThat(received.poll(10, TimeUnit.SECONDS)).endsWith(" slipway[web.1]: State changed from up to down");
        tail.body().close();
    }

    @Test
    void aTailOfAnAppBeingDestroyedEndsSayingSoAndAnAppOfThatNameCreatedAgainSeesNoneOfTheOldLines()
            throws Exception {
        api.givenApp("fleeting");
        ship("fleeting", T + "app[web.1]: old line\n");
        HttpResponse<InputStream> tail = ApiScenario.HTTP.send(api.request("/apps/fleeting/logs?tail=true").GET()
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        java.util.concurrent.CompletableFuture<List<String>> whole = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> new BufferedReader(new InputStreamReader(tail.body(), StandardCharsets.UTF_8))
                        .lines().toList());
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> api.parts.logs().followers("fleeting") == 1);

        HttpResponse<String> destroyed = ApiScenario.HTTP.send(api.request("/apps/fleeting").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(destroyed.statusCode()).as(destroyed.body()).isEqualTo(200);
        // Late lines of the old app, after its log was forgotten.
        api.parts.logs().event("fleeting", "web.1", "State changed from up to down");

        List<String> received = whole.get(10, TimeUnit.SECONDS);
        assertThat(received.get(0)).isEqualTo(T + "app[web.1]: old line");
        assertThat(received.get(received.size() - 1))
                .endsWith(" slipway[logs]: app fleeting was destroyed: its log ends here");
        assertThat(received).noneMatch(line -> line.contains("State changed"));
        assertThat(api.parts.logs().followers("fleeting")).isZero();

        api.givenApp("fleeting");
        ship("fleeting", T + "app[web.1]: new line\n");

        assertThat(api.get("/apps/fleeting/logs").body()).isEqualTo(T + "app[web.1]: new line\n");
    }

    @Test
    void aClientThatGoesAwayStopsItsTail() throws Exception {
        api.givenApp("gone");
        try (Socket socket = new Socket("127.0.0.1", api.base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /apps/gone/logs?tail=true HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + api.authorization("/apps") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> api.parts.logs().followers("gone") == 1);
        }

        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> api.parts.logs().followers("gone") == 0);
    }

    @Test
    void aClientThatReadsTooSlowlyIsToldHowManyLinesItMissed() throws Exception {
        api.givenApp("slow");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", api.base.getPort()));
            socket.getOutputStream().write(("GET /apps/slow/logs?tail=true&lines=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + api.authorization("/apps") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> api.parts.logs().followers("slow") == 1);

            String line = T + "app[web.1]: " + "z".repeat(9_000) + "\n";
            String batch = line.repeat(100);
            for (int i = 0; i < 60; i++) {
                assertThat(ship("slow", batch).statusCode()).isEqualTo(204);
            }

            BlockingQueue<String> received = lines(socket.getInputStream());
            String notice = null;
            while (notice == null) {
                String next = received.poll(30, TimeUnit.SECONDS);
                assertThat(next).as("the stream goes on until the notice").isNotNull();
                notice = next.contains("slipway[logs]: ") ? next : null;
            }
            assertThat(notice).containsPattern("slipway\\[logs\\]: \\d+ lines skipped: the client reads too slowly");
            assertThat(problem(api.get("/apps/slow/logs?tail=maybe"), 400)).as("the API still answers")
                    .contains("tail must be true or false");
        }
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> api.parts.logs().followers("slow") == 0);
    }

    // --- scenario

    private static HttpResponse<String> ship(String app, String lines) throws Exception {
        return ApiScenario.HTTP.send(api.request("/apps/" + app + "/log-lines")
                .header("Content-Type", "application/x-slipway-log-lines; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(lines, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Ships a body one byte over the limit and reads the status line: {@code chunked}, the body is
     * sent (so the limit is found while reading it), else only a head that says how long it is.
     */
    private static String oversizedShipment(String app, boolean chunked) throws Exception {
        try (Socket client = new Socket("127.0.0.1", api.api.port())) {
            client.setSoTimeout(30_000);
            OutputStream out = client.getOutputStream();
            int size = LogsResource.MAX_BODY_BYTES + 1;
            String head = "POST /apps/" + app + "/log-lines HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-slipway-log-lines\r\n"
                    + "Authorization: " + api.authorization("/apps/" + app + "/log-lines") + "\r\n";
            if (chunked) {
                out.write((head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(size) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] line = (T + "app[web.1]: " + "x".repeat(1000) + "\n").getBytes(StandardCharsets.US_ASCII);
                for (int sent = 0; sent < size; sent += line.length) {
                    out.write(line, 0, Math.min(line.length, size - sent));
                }
            } else {
                out.write((head + "Content-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    private static String problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        return problem.path("detail").asText();
    }

    /** Reads {@code in} line by line on a thread of its own, into the queue returned. */
    private static BlockingQueue<String> lines(InputStream in) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader text = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = text.readLine(); line != null; line = text.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // The stream was closed: the test is done with it.
            }
        }, "log-tail-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

}
