package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.api.SseClient.Message;
import dev.slipway.framework.events.EventLog;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.zk.Json;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /events} and the SSE forms of build output and log tails, over real HTTP. */
class EventsApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    private static EventLog log() {
        return api.parts.events();
    }

    private static SseClient events(String query) throws Exception {
        return events(query, Map.of());
    }

    private static SseClient events(String query, Map<String, String> headers) throws Exception {
        SseClient client = SseClient.open(api.base.resolve("events" + query), asAdmin(headers));
        // Subscribed once the head is out: what is published from now on reaches it.
        assertThat(client.response.statusCode()).isEqualTo(200);
        return client;
    }

    /** {@code headers} with the admin's token, unless they carry a credential of their own. */
    private static Map<String, String> asAdmin(Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.putIfAbsent("Authorization", "Bearer " + api.adminToken);
        return all;
    }

    @Test
    void aUserSeesOnlyTheEventsOfTheirTeamsAppsIncludingAppsCreatedWhileTheStreamIsOpen() throws Exception {
        String dana = anotherUser("dana");
        call(api.as(dana, "/teams"), "{\"name\":\"green\"}", 201);
        call(api.as(dana, "/apps"), "{\"name\":\"danas-old\"}", 201);
        api.givenApp("not-danas");
        assertThat(SseClient.open(api.base.resolve("events?app=not-danas"), Map.of("Authorization", "Bearer " + dana))
                .response.statusCode()).isEqualTo(403);

        try (SseClient stream = events("", Map.of("Authorization", "Bearer " + dana))) {
            publish(EventTypes.BUILD_STARTED, "not-danas", 1);
            publish(EventTypes.BUILD_STARTED, "danas-old", 1);
            call(api.as(dana, "/apps"), "{\"name\":\"danas-new\"}", 201);
            publish(EventTypes.BUILD_STARTED, "danas-new", 1);
            publish(EventTypes.BUILD_STARTED, "not-danas", 2);
            publish(EventTypes.BUILD_STARTED, "danas-old", 2);

            List<Message> seen = stream.await(m -> m.stream().filter(x -> x.json().path("n").asInt() == 2).count() >= 1);
            assertThat(seen).extracting(m -> m.json().path("app").asText())
                    .containsExactly("danas-old", "danas-new", "danas-new", "danas-old");
        }
    }

    private static String anotherUser(String name) throws Exception {
        HttpResponse<String> made = call(api.request("/users"), "{\"name\":\"" + name + "\",\"admin\":false}", 201);
        return Json.mapper().readTree(made.body()).path("token").asText();
    }

    private static HttpResponse<String> call(HttpRequest.Builder request, String json, int status) throws Exception {
        HttpResponse<String> answer = ApiScenario.HTTP.send(request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer;
    }

    private static void publish(String type, String app, int n) {
        log().publish(type, app, Map.of("n", n, "message", app + " " + n));
    }

    @Test
    void eventsAreServerSentEventsWithIdTypeAndJsonData() throws Exception {
        try (SseClient stream = events("?app=framed")) {
            assertThat(stream.response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
            assertThat(stream.response.headers().firstValue("Cache-Control")).contains("no-cache");

            api.givenApp("framed");

            Message created = stream.await(m -> !m.isEmpty()).get(0);
            assertThat(created.event()).isEqualTo("app.created");
            assertThat(created.id()).matches("[0-9a-z]+-[0-9]+");
            JsonNode json = created.json();
            assertThat(json.path("id").asText()).isEqualTo(created.id());
            assertThat(json.path("type").asText()).isEqualTo("app.created");
            assertThat(json.path("app").asText()).isEqualTo("framed");
            assertThat(json.path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(json.path("message").asText()).isEqualTo("app framed created");
            assertThat(stream.rawLines).startsWith("retry: 2000", "");
        }
    }

    @Test
    void typeAndAppNarrowTheStreamAndEachAppsEventsComeInOrder() throws Exception {
        try (SseClient one = events("?app=one&type=build.started,build.failed");
             SseClient all = events("?type=build.started")) {
            for (int n = 0; n < 50; n++) {
                publish(EventTypes.BUILD_STARTED, "one", n);
                publish(EventTypes.BUILD_STARTED, "two", n);
                publish(EventTypes.BUILD_FAILED, "one", n);
                publish(EventTypes.RELEASE_CREATED, "one", n);
            }

            List<Message> ofOne = one.await(m -> m.size() >= 100);
            List<Message> started = all.await(m -> m.stream().filter(x -> x.json().path("app").asText().matches("one|two"))
                    .count() >= 100);

            assertThat(ofOne).hasSize(100).allSatisfy(m -> assertThat(m.json().path("app").asText()).isEqualTo("one"));
            assertThat(ofOne).extracting(Message::event).containsOnly("build.started", "build.failed");
            assertThat(ofOne.stream().filter(m -> m.event().equals("build.started")).map(m -> m.json().path("n").asInt()))
                    .containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
            assertThat(started).extracting(Message::event).containsOnly("build.started");
            assertThat(started.stream().filter(m -> m.json().path("app").asText().equals("two"))
                    .map(m -> m.json().path("n").asInt())).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        }
    }

    @Test
    void aClientResumesAfterItsLastEventIdWithNoDuplicateAndNoGap() throws Exception {
        String seen;
        try (SseClient first = events("?app=resumed")) {
            IntStream.range(0, 5).forEach(n -> publish(EventTypes.INSTANCE_STATE, "resumed", n));
            seen = first.await(m -> m.size() >= 3).get(2).id();
        }
        IntStream.range(5, 9).forEach(n -> publish(EventTypes.INSTANCE_STATE, "resumed", n));

        try (SseClient again = events("?app=resumed", Map.of("Last-Event-ID", seen));
             SseClient curl = events("?app=resumed&since=" + seen)) {
            publish(EventTypes.INSTANCE_STATE, "resumed", 9);

            for (SseClient client : List.of(again, curl)) {
                List<Message> rest = client.await(m -> m.size() >= 7);
                assertThat(rest).extracting(m -> m.json().path("n").asInt()).containsExactly(3, 4, 5, 6, 7, 8, 9);
                assertThat(rest).extracting(Message::event).containsOnly("instance.state");
            }
        }
    }

    @Test
    void anIdOfAnotherTermOrOlderThanTheLogKeepsIsToldAsMissedThenEveryEventKeptFollows() throws Exception {
        publish(EventTypes.BUILD_STARTED, "flooded", -1);
        String old = log().lastId();
        for (int n = 0; n <= EventLog.CAPACITY; n++) {
            publish(EventTypes.BUILD_STARTED, "flood", n);
        }
        publish(EventTypes.BUILD_STARTED, "flooded", 0);

        try (SseClient tooOld = events("?app=flooded", Map.of("Last-Event-ID", old));
             SseClient otherTerm = events("?app=flooded&since=abc-12")) {
            for (SseClient client : List.of(tooOld, otherTerm)) {
                List<Message> got = client.await(m -> m.size() >= 2);
                assertThat(got.get(0).event()).isEqualTo(EventTypes.MISSED);
                assertThat(got.get(0).id()).isNull();
                assertThat(got.get(0).json().path("message").asText()).startsWith("events may have been missed");
                assertThat(got.get(1).json().path("n").asInt()).isEqualTo(0);
            }
            assertThat(tooOld.messages.get(0).json().path("message").asText()).contains("older than the last 10000");
            assertThat(otherTerm.messages.get(0).json().path("message").asText()).contains("not of this leader's term");
        }
    }

    @Test
    void aClientThatReadsTooSlowlyIsDroppedAndTheOthersGetEveryEvent() throws Exception {
        int before = log().subscribers();
        String padding = "x".repeat(2048);
        try (Socket slow = new Socket(); SseClient fast = events("?app=slow")) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", api.api.port()));
            slow.getOutputStream().write(("GET /events?app=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream"
                    + "\r\nAuthorization: Bearer " + api.adminToken + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log().subscribers() == before + 2);

            int total = 0;
            for (int batch = 0; batch < 12; batch++) {
                for (int i = 0; i < 500; i++, total++) {
                    log().publish(EventTypes.INSTANCE_STATE, "slow", Map.of("n", total, "message", padding));
                }
                int sent = total;
                fast.await(m -> m.size() >= sent);
            }

            assertThat(fast.messages).hasSize(total);
            assertThat(fast.messages).extracting(m -> m.json().path("n").asInt())
                    .containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log().subscribers() == before + 1);
            assertThat(readUntil(slow, "dropped:")).contains(": dropped: this client read too slowly");
        }
    }

    private static String readUntil(Socket socket, String marker) throws Exception {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        // Only the tail matters: keep the last bytes read.
        String tail = "";
        try {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                tail = (tail + new String(buffer, 0, n, StandardCharsets.UTF_8));
                tail = tail.substring(Math.max(0, tail.length() - 8192));
                if (tail.contains(marker) && tail.contains("\r\n0\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            read.close();
        }
        return tail;
    }

    @Test
    void streamsEndWhenTheLogEndsThemAsWhenThisInstanceStopsLeadingAfterWhatWaits() throws Exception {
        try (SseClient stream = events("?app=deposed")) {
            publish(EventTypes.BUILD_STARTED, "deposed", 1);
            log().endStreams("this framework instance no longer leads");

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stream.ended);
            assertThat(stream.messages).extracting(m -> m.json().path("n").asInt()).containsExactly(1);
            assertThat(stream.comments).contains("this framework instance no longer leads");
        }
    }

    @Test
    void anUnknownTypeOrABadAppIsRefusedNamingWhatIsAllowed() throws Exception {
        HttpResponse<String> type = api.get("/events?type=build.started,build.exploded");
        HttpResponse<String> app = api.get("/events?app=Not_An_App");

        assertThat(type.statusCode()).isEqualTo(400);
        assertThat(type.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(Json.mapper().readTree(type.body()).path("detail").asText())
                .contains("no event type 'build.exploded'").contains("deployment.progress");
        assertThat(app.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(app.body()).path("detail").asText()).contains("app must be an app's name");
    }

    @Test
    void buildsTellTheyStartedSucceededAndReleasedInOrderAndNoConfigValueIsShown() throws Exception {
        api.givenApp("built");
        api.givenBuildpacks("built", api.aBuildpackReleasingTheSecret("hunter2-very-secret"));
        try (SseClient stream = events("?app=built")) {
            String id = api.build("built").path("id").asText();
            api.finished("built", id);

            List<Message> got = stream.await(m -> m.size() >= 3);
            assertThat(got).extracting(Message::event).containsExactly("build.started", "build.succeeded",
                    "release.created");
            assertThat(got.get(0).json().path("build_id").asText()).isEqualTo(id);
            assertThat(got.get(1).json().path("release").asInt()).isEqualTo(1);
            assertThat(got.get(2).json().path("release").asInt()).isEqualTo(1);
            assertThat(got.get(2).json().path("process_types").toString()).isEqualTo("[\"web\"]");
            assertThat(got).allSatisfy(m -> assertThat(m.data()).doesNotContain("hunter2"));
        }
    }

    @Test
    void aFailedBuildSaysWhy() throws Exception {
        api.givenApp("broken");
        api.givenBuildpacks("broken", api.aBuildpackThatFails());
        try (SseClient stream = events("?app=broken&type=build.failed")) {
            String id = api.build("broken").path("id").asText();

            Message failed = stream.await(m -> !m.isEmpty()).get(0);
            assertThat(failed.json().path("build_id").asText()).isEqualTo(id);
            assertThat(failed.json().path("reason").asText()).isNotBlank();
            assertThat(failed.json().path("message").asText()).startsWith("Build failed (build ");
        }
    }

    @Test
    void buildOutputAsSseIsOneMessagePerLineResumableByOffsetAndEnds() throws Exception {
        api.givenApp("outputs");
        api.givenBuildpacks("outputs", api.aBuildpack("Lines", "echo 'first line'\necho 'second line'\n"
                + "echo 'third line'\n"));
        String id = api.build("outputs").path("id").asText();
        api.finished("outputs", id);
        String plain = api.get("/apps/outputs/builds/" + id + "/output").body();
        java.net.URI url = api.base.resolve("apps/outputs/builds/" + id + "/output");

        List<Message> all;
        try (SseClient output = SseClient.open(url, asAdmin(Map.of()))) {
            assertThat(output.response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
            all = output.await(m -> !m.isEmpty() && "end".equals(m.get(m.size() - 1).event()));
        }
        List<Message> lines = all.subList(0, all.size() - 1);
        assertThat(lines).extracting(Message::data).containsExactlyElementsOf(plain.lines().toList());
        assertThat(Long.parseLong(lines.get(lines.size() - 1).id())).isEqualTo(plain.getBytes(StandardCharsets.UTF_8).length);

        try (SseClient rest = SseClient.open(url, asAdmin(Map.of("Last-Event-ID", lines.get(1).id())))) {
            List<Message> after = rest.await(m -> !m.isEmpty() && "end".equals(m.get(m.size() - 1).event()));
            assertThat(after.subList(0, after.size() - 1)).extracting(Message::data)
                    .containsExactlyElementsOf(plain.lines().skip(2).toList());
        }
    }

    @Test
    void aLogTailAsSseSendsEachLineAsAMessageAndPlainTextStaysForOthers() throws Exception {
        api.givenApp("tailed");
        String t = "2026-01-02T03:04:05.123456+00:00 ";
        ship("tailed", t + "app[web.1]: one\n" + t + "app[web.1]: two\n");

        try (SseClient tail = SseClient.open(api.base.resolve("apps/tailed/logs?tail=true&lines=1"), asAdmin(Map.of()))) {
            assertThat(tail.response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
            tail.await(m -> m.size() >= 1);
            ship("tailed", t + "app[web.1]: three\n");

            assertThat(tail.await(m -> m.size() >= 2)).extracting(Message::data)
                    .containsExactly(t + "app[web.1]: two", t + "app[web.1]: three");
        }
        assertThat(api.get("/apps/tailed/logs?lines=1").headers().firstValue("Content-Type"))
                .contains("text/plain; charset=utf-8");
    }

    private static void ship(String app, String lines) throws Exception {
        HttpResponse<String> shipped = ApiScenario.HTTP.send(api.request("/apps/" + app + "/log-lines")
                .header("Content-Type", BrowserGuard.LOG_LINES).POST(HttpRequest.BodyPublishers.ofString(lines)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(shipped.statusCode()).isEqualTo(204);
    }
}
