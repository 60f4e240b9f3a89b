package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.trace.RouterRequestEvent;
import dev.slipway.router.trace.UpstreamConnectEvent;
import dev.slipway.router.trace.UpstreamPoolWaitEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The router's JFR events, recorded in-process around a few requests through a router on a free
 * port: one {@code slipway.RouterRequest} per request with its phases in order, on both data paths;
 * the Netty path's new connections and waits for a pooled one; and {@link PhasesSummary} on such a recording. No timing is
 * asserted, only the order of the phases.
 */
class RequestPhaseEventsTest extends WithRouterScenario {
    @TempDir
    Path recordings;

    @ParameterizedTest
    @EnumSource(DataPath.class)
    void eachRequestIsOneEventWithItsPhasesInOrder(DataPath dataPath) throws Exception {
        List<RecordedEvent> events = RecordingFile.readAllEvents(recordSomeRequests(dataPath));

        List<RecordedEvent> hello = named(events, RouterRequestEvent.NAME).stream()
                .filter(event -> "hello".equals(event.getString("app")))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
        assertThat(hello).hasSize(3);
        for (RecordedEvent request : hello) {
            assertThat(request.getString("dataPath")).isEqualTo(dataPath.name().toLowerCase());
            assertThat(request.getInt("status")).isEqualTo(200);
            assertThat(request.getString("error")).isNull();
            assertThat(request.getInt("attempts")).isEqualTo(1);
            assertThat(request.getString("instance")).isEqualTo("web.1");
            assertThat(request.getString("requestId")).isNotBlank();
            long routed = request.getLong("routed");
            long connected = request.getLong("connected");
            long firstByte = request.getLong("firstByte");
            assertThat(routed).isNotNegative();
            assertThat(connected).isGreaterThanOrEqualTo(routed);
            assertThat(firstByte).isGreaterThanOrEqualTo(connected);
            assertThat(request.getDuration().toNanos()).isGreaterThanOrEqualTo(firstByte);
            long headSent = request.getLong("headSent");
            if (headSent >= 0) {
                assertThat(headSent).isBetween(connected, firstByte);
            }
        }
        // Bodiless requests: the head went out on both paths.
        assertThat(hello.get(0).getLong("headSent")).isNotNegative();
        assertThat(hello.get(2).getLong("headSent")).isNotNegative();
        assertThat(hello).extracting(request -> request.getString("requestId")).doesNotHaveDuplicates();

        RecordedEvent refused = named(events, RouterRequestEvent.NAME).stream()
                .filter(event -> "empty".equals(event.getString("app"))).findFirst().orElseThrow();
        assertThat(refused.getString("error")).isEqualTo("H14");
        assertThat(refused.getInt("status")).isEqualTo(503);
        assertThat(refused.getInt("attempts")).isZero();
        assertThat(refused.getLong("routed")).isNotNegative();
        assertThat(refused.getLong("connected")).isEqualTo(-1);

        if (dataPath == DataPath.NETTY) {
            // One kept-alive connection to the app carried all three, the first made it.
            assertThat(hello).extracting(request -> request.getBoolean("freshConnection")).containsExactly(true, false, false);
            assertThat(hello).allSatisfy(request -> {
                assertThat(request.getLong("queued")).isZero();
                assertThat(request.getInt("poolWaiting")).isZero();
            });
            assertThat(hello.get(0).getInt("poolOpen")).isZero();
            assertThat(hello.get(1).getInt("poolOpen")).isEqualTo(1);
            List<RecordedEvent> connects = named(events, UpstreamConnectEvent.NAME);
            assertThat(connects).hasSize(1);
            assertThat(connects.get(0).getString("instance")).isEqualTo("web.1");
            assertThat(connects.get(0).getBoolean("succeeded")).isTrue();
            assertThat(connects.get(0).getInt("poolOpen")).isEqualTo(1);
        } else {
            // Vert.x's pool does not say whether, or how long, a request waited for its connection.
            assertThat(hello).allSatisfy(request -> assertThat(request.getLong("queued")).isEqualTo(-1));
            assertThat(named(events, UpstreamConnectEvent.NAME)).isEmpty();
        }
        assertThat(named(events, UpstreamPoolWaitEvent.NAME)).isEmpty();
    }

    @Test
    void requestsBeyondThePoolsConnectionsWaitAndSaySo() throws Exception {
        // More clients at once than the Netty path keeps connections per event loop to the one instance
        // (64; the loops take the clients' connections in turn): 16 per loop must wait.
        int loops = Runtime.getRuntime().availableProcessors();
        int clients = loops * 80;
        Path file = recordings.resolve("waits.jfr");
        List<RawClient> connections = new ArrayList<>();
        try (RawBackend held = new RawBackend("web.1"); Recording recording = new Recording()) {
            held.hold();
            scenario.configure = config -> config.withDataPath(DataPath.NETTY).withConnectTimeout(Duration.ofSeconds(60));
            scenario.route("hello", List.of(), held.endpoint());
            int port = scenario.startRouter().port();
            recording.enable(RouterRequestEvent.NAME);
            recording.enable(UpstreamPoolWaitEvent.NAME).withThreshold(Duration.ZERO);
            recording.start();
            for (int i = 0; i < clients; i++) {
                connections.add(new RawClient(port).send("GET /" + i + " HTTP/1.1\r\nHost: hello.localhost\r\n\r\n"));
            }
            // Every connection of every loop carries a request the app holds; the rest wait for one.
            await().atMost(Duration.ofSeconds(30)).until(() -> held.requests().size() == loops * 64);
            held.release();
            for (RawClient client : connections) {
                assertThat(client.readUntil("\r\n\r\nok")).startsWith("HTTP/1.1 200 ");
            }
            scenario.lines.awaitLines("hello", clients);
            recording.stop();
            recording.dump(file);
        } finally {
            connections.forEach(RawClient::close);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);

        List<RecordedEvent> requests = named(events, RouterRequestEvent.NAME);
        assertThat(requests).hasSize(clients).allSatisfy(request -> {
            assertThat(request.getInt("status")).isEqualTo(200);
            assertThat(request.getLong("queued")).isNotNegative();
            assertThat(request.getInt("poolOpen")).isBetween(0, 64);
        });
        List<RecordedEvent> queued = requests.stream().filter(request -> request.getLong("queued") > 0).toList();
        assertThat(queued).isNotEmpty().allSatisfy(request -> {
            assertThat(request.getInt("poolOpen")).isEqualTo(64);
            assertThat(request.getBoolean("freshConnection")).isFalse();
            assertThat(request.getLong("connected")).isGreaterThanOrEqualTo(request.getLong("queued"));
        });
        List<RecordedEvent> waits = named(events, UpstreamPoolWaitEvent.NAME);
        assertThat(waits).hasSameSizeAs(queued).allSatisfy(wait -> {
            assertThat(wait.getString("app")).isEqualTo("hello");
            assertThat(wait.getString("instance")).isEqualTo("web.1");
            assertThat(wait.getString("outcome")).isEqualTo("reused");
            assertThat(wait.getInt("poolOpen")).isEqualTo(64);
        });
    }

    @Test
    void theSummaryShowsEachSecondsRequestsTheirPhasesAndTheJvmsPauses() throws Exception {
        String summary = PhasesSummary.summarise(recordSomeRequests(DataPath.NETTY));

        List<String> rows = summary.lines().filter(line -> !line.startsWith("#")).toList();
        assertThat(rows.get(0)).startsWith("second | requests | failed | routed | queued | connected | head sent"
                + " | first byte | total | fresh connections | pool waits");
        List<String[]> seconds = rows.stream().skip(1).map(row -> row.split(" \\| ")).toList();
        assertThat(seconds).allSatisfy(cells -> assertThat(cells).hasSize(rows.get(0).split(" \\| ").length));
        assertThat(seconds.stream().filter(cells -> !cells[0].equals("before")).mapToInt(cells -> Integer.parseInt(cells[1])).sum())
                .isEqualTo(4);
        assertThat(seconds.stream().mapToInt(cells -> Integer.parseInt(cells[2])).sum()).isEqualTo(1);
        String[] firstSecond = seconds.stream().filter(cells -> cells[0].equals("0")).findFirst().orElseThrow();
        assertThat(firstSecond[3]).matches("\\d+(us|\\.\\dms|\\.\\d\\ds)/.+/.+");
        // The test asked for a collection while it recorded: some second shows its pause.
        assertThat(seconds).anySatisfy(cells -> assertThat(cells[12]).matches("\\d+ .+ .+"));
    }

    @Test
    void aRecordingWithoutTheRoutersEventsSaysSo() throws Exception {
        Path empty = recordings.resolve("empty.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.GCPhasePause");
            recording.start();
            System.gc();
            recording.stop();
            recording.dump(empty);
        }
        assertThat(PhasesSummary.summarise(empty)).startsWith("no slipway.RouterRequest events in");
    }

    /**
     * A router on {@code dataPath} in front of the app hello (one instance) and the app empty (none),
     * and a recording of three requests to hello on one connection (a GET, a POST with a body, a GET)
     * and one to empty (H14), with a collection in between.
     */
    private Path recordSomeRequests(DataPath dataPath) throws Exception {
        Path file = recordings.resolve(dataPath + ".jfr");
        try (RawBackend backend = new RawBackend("web.1"); Recording recording = new Recording()) {
            scenario.configure = config -> config.withDataPath(dataPath);
            scenario.route("hello", List.of(), backend.endpoint());
            scenario.route("empty", List.of());
            int port = scenario.startRouter().port();
            recording.enable(RouterRequestEvent.NAME);
            recording.enable(UpstreamConnectEvent.NAME);
            recording.enable(UpstreamPoolWaitEvent.NAME);
            recording.enable("jdk.GCPhasePause");
            recording.enable("jdk.Compilation").withThreshold(Duration.ZERO);
            recording.enable("jdk.SafepointBegin");
            recording.start();
            try (RawClient client = new RawClient(port)) {
                client.send("GET /one HTTP/1.1\r\nHost: hello.localhost\r\n\r\n").readUntil("\r\n\r\nok");
                client.send("POST /two HTTP/1.1\r\nHost: hello.localhost\r\nContent-Length: 3\r\n\r\ntwo").readUntil("two");
                System.gc();
                client.send("GET /three HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");
                scenario.lines.awaitLines("hello", 3);
            }
            assertThat(RawClient.exchange(port, "GET / HTTP/1.1\r\nHost: empty.localhost\r\nConnection: close\r\n\r\n").text())
                    .startsWith("HTTP/1.1 503 ");
            scenario.lines.awaitLine("empty");
            recording.stop();
            recording.dump(file);
        }
        return file;
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(event -> event.getEventType().getName().equals(name)).toList();
    }
}
