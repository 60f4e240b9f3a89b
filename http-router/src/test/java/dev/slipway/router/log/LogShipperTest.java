package dev.slipway.router.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's log shipper against a real HTTP server on loopback, standing in for the framework. */
class LogShipperTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456Z"), ZoneOffset.UTC);
    private static final String AT = "2026-01-02T03:04:05.123456+00:00";
    private static final String TOKEN = "slwrouter.local.c2lnbmF0dXJl";
    private static final LogShipper.Settings FAST = new LogShipper.Settings(10_000, 100, 512 * 1024,
            Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(200));

    private final Vertx vertx = Vertx.vertx();
    private final List<LogShipper> shippers = new ArrayList<>();
    private final List<Framework> frameworks = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (LogShipper shipper : shippers) {
            shipper.close(Duration.ofMillis(100)).await(10, TimeUnit.SECONDS);
        }
        frameworks.forEach(Framework::stop);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void linesOfSeveralAppsArriveInOrderInBoundedBatchesWithTheRoutersCredential() throws Exception {
        Framework framework = aFramework();
        LogShipper shipper = ship(framework, FAST);
        List<String> sent = new ArrayList<>();

        for (int i = 0; i < 450; i++) {
            String app = i % 3 == 0 ? "hello" : "world";
            shipper.line(app, line("/" + i));
            sent.add(shipped(app, "/" + i));
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 450);
        assertThat(framework.lines()).containsExactlyElementsOf(sent);
        assertThat(framework.batches).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(100));
        assertThat(framework.contentTypes).containsOnly("application/x-slipway-router-log-lines; charset=utf-8");
        assertThat(framework.authorizations).containsOnly("Bearer " + TOKEN);
    }

    @Test
    void aLineStaysOneLineWhateverItsPathHolds() throws Exception {
        Framework framework = aFramework();
        LogShipper shipper = ship(framework, FAST);

        shipper.line("hello", line("/a\nworld " + AT + " forged\r\" héllo ✓"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 1);
        assertThat(framework.lines()).containsExactly("hello " + AT + " at=info method=GET "
                + "path=\"/a\\x0aworld " + AT + " forged\\x0d\\\" h\\xe9llo \\u2713\" host=hello.localhost request_id=abc "
                + "fwd=\"127.0.0.1\" dyno=web.1 connect=1ms service=2ms status=200 bytes=3 protocol=http");
    }

    @Test
    void whenTheQueueIsFullTheOldestLinesAreDroppedAndEachAppIsToldHowMany() throws Exception {
        Framework framework = aFramework();
        CountDownLatch release = framework.holdRequests();
        LogShipper shipper = ship(framework, new LogShipper.Settings(10, 100, 512 * 1024, Duration.ofMillis(50),
                Duration.ofMillis(50), Duration.ofMillis(200)));
        shipper.line("hello", line("first"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.held.getCount() == 0);

        for (int i = 0; i < 5; i++) {
            shipper.line("world", line("old " + i));
        }
        for (int i = 0; i < 20; i++) {
            shipper.line("hello", line("more " + i));
        }
        release.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 13);
        List<String> expected = new ArrayList<>(List.of(shipped("hello", "first")));
        List<String> notices = framework.lines().subList(1, 3);
        assertThat(notices).containsExactlyInAnyOrder("world " + AT + " 5 log lines dropped",
                "hello " + AT + " 10 log lines dropped");
        expected.addAll(notices);
        IntStream.range(10, 20).forEach(i -> expected.add(shipped("hello", "more " + i)));
        assertThat(framework.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void linesQueuedWhileTheFrameworkIsDownAreShippedOnceItIsBack() throws Exception {
        // One listener for the whole test: closing a server and binding its port again races with
        // the old socket's close.
        Framework framework = aFramework();
        framework.hangUp();
        LogShipper shipper = ship(framework, FAST);
        lines("hello", "while down ", 5).forEach(path -> shipper.line("hello", line(path)));
        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.hungUp.get() >= 3);

        framework.answer();
        lines("hello", "after ", 3).forEach(path -> shipper.line("hello", line(path)));

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 8);
        List<String> expected = new ArrayList<>();
        lines("hello", "while down ", 5).forEach(path -> expected.add(shipped("hello", path)));
        lines("hello", "after ", 3).forEach(path -> expected.add(shipped("hello", path)));
        assertThat(framework.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void aFrameworkThatIsDownIsAskedAgainOnlyAfterABackoff() throws Exception {
        Framework framework = aFramework();
        framework.hangUp();
        LogShipper shipper = ship(framework, new LogShipper.Settings(10_000, 100, 512 * 1024, Duration.ofMillis(1),
                Duration.ofMillis(400), Duration.ofMillis(400)));
        long started = System.nanoTime();
        shipper.line("hello", line("while down"));

        await().atMost(20, TimeUnit.SECONDS).until(() -> framework.hungUp.get() >= 3);

        // At most one try, then one per backoff: slowness on this machine only makes fewer.
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(framework.hungUp.get()).isLessThanOrEqualTo(1 + (int) (elapsed / 400));
    }

    @Test
    void aRefusedCredentialIsReadAgainAndNoLineIsLostMeanwhile() throws Exception {
        Framework framework = aFramework();
        framework.accepting = "Bearer slwrouter.local.new";
        AtomicReference<String> file = new AtomicReference<>(null);
        LogShipper shipper = LogShipper.start(vertx, framework.url(), file::get, FAST, CLOCK);
        shippers.add(shipper);
        shipper.line("hello", line("before any credential"));
        file.set("slwrouter.local.old\n");
        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.unauthorized.get() >= 1);

        file.set("slwrouter.local.new\n");
        shipper.line("hello", line("after"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 2);
        assertThat(framework.lines()).containsExactly(shipped("hello", "before any credential"),
                shipped("hello", "after"));
    }

    @Test
    void theCredentialIsReadFromItsFileOnceThereIsOne(@TempDir Path dir) throws Exception {
        Framework framework = aFramework();
        Path file = dir.resolve("router-log.token");
        LogShipper shipper = LogShipper.start(vertx, framework.url(), LogShipper.CredentialSource.file(file), FAST,
                CLOCK);
        shippers.add(shipper);
        shipper.line("hello", line("waiting"));

        Files.writeString(file, TOKEN + "\n");

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 1);
        assertThat(framework.authorizations).containsOnly("Bearer " + TOKEN);
    }

    @Test
    void aBatchTheFrameworkRefusesIsDroppedAndShippingGoesOn() throws Exception {
        Framework framework = aFramework();
        framework.refuseNext(400);
        LogShipper shipper = ship(framework, FAST);

        shipper.line("hello", line("refused"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.refusing == 0);
        shipper.line("hello", line("taken"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.lines().equals(List.of(shipped("hello", "taken"))));
    }

    @Test
    void anEventLoopIsNeverHeldUpByAFrameworkThatDoesNotAnswer() throws Exception {
        Framework framework = aFramework();
        framework.holdRequests();
        LogShipper shipper = ship(framework, new LogShipper.Settings(100, 10, 512 * 1024, Duration.ofMillis(1),
                Duration.ofMillis(50), Duration.ofMillis(200)));
        shipper.line("hello", line("first"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.held.getCount() == 0);

        CountDownLatch done = new CountDownLatch(1);
        vertx.runOnContext(v -> {
            lines("hello", "line ", 100_000).forEach(path -> shipper.line("hello", line(path)));
            done.countDown();
        });

        assertThat(done.await(30, TimeUnit.SECONDS)).as("the event loop is never held up").isTrue();
    }

    @Test
    void closingShipsWhatIsQueued() throws Exception {
        Framework framework = aFramework();
        LogShipper shipper = LogShipper.start(vertx, framework.url(), () -> TOKEN, new LogShipper.Settings(10_000,
                100, 512 * 1024, Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofMillis(200)), CLOCK);
        lines("hello", "last words ", 250).forEach(path -> shipper.line("hello", line(path)));

        shipper.close(Duration.ofSeconds(5)).await(10, TimeUnit.SECONDS);

        assertThat(framework.lines()).hasSize(250).last().isEqualTo(shipped("hello", "last words 249"));
    }

    @Test
    void closingGivesUpAtItsDeadlineWhenTheFrameworkDoesNotAnswer() throws Exception {
        Framework framework = aFramework();
        framework.holdRequests();
        LogShipper shipper = LogShipper.start(vertx, framework.url(), () -> TOKEN, FAST, CLOCK);
        shipper.line("hello", line("never shipped"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.held.getCount() == 0);

        shipper.close(Duration.ofMillis(300)).await(10, TimeUnit.SECONDS);

        assertThat(framework.lines()).isEmpty();
    }

    // --- scenario

    private LogShipper ship(Framework framework, LogShipper.Settings settings) {
        LogShipper shipper = LogShipper.start(vertx, framework.url(), () -> TOKEN, settings, CLOCK);
        shippers.add(shipper);
        return shipper;
    }

    private Framework aFramework() throws IOException {
        Framework framework = new Framework();
        frameworks.add(framework);
        return framework;
    }

    /** A router line that holds {@code path} as its request's path. */
    private static RouterLine line(String path) {
        return new RouterLine(null, null, "GET", path, "hello.localhost", "abc", "127.0.0.1", "web.1", 1, 2, 200, 3,
                "http");
    }

    /** What the framework gets of {@link #line(String)} for {@code app}. */
    private static String shipped(String app, String path) {
        return app + " " + AT + " " + line(path).format();
    }

    private static List<String> lines(String app, String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /** The framework's {@code POST /router-log-lines}, recording each batch. */
    private static final class Framework {
        final HttpServer server;
        final ExecutorService threads = Executors.newCachedThreadPool();
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final List<String> contentTypes = new CopyOnWriteArrayList<>();
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        final AtomicInteger hungUp = new AtomicInteger();
        final AtomicInteger unauthorized = new AtomicInteger();
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile CountDownLatch held = new CountDownLatch(0);
        volatile int refusing;
        volatile boolean down;
        volatile String accepting;

        Framework() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/router-log-lines", exchange -> {
                if (down) {
                    // An exchange closed without a response drops the connection.
                    hungUp.incrementAndGet();
                    exchange.close();
                    return;
                }
                try (InputStream body = exchange.getRequestBody()) {
                    String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                    held.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                    if (accepting != null && !accepting.equals(authorization)) {
                        unauthorized.incrementAndGet();
                        exchange.sendResponseHeaders(401, -1);
                        return;
                    }
                    int status = refusing;
                    if (status > 0) {
                        refusing = 0;
                        exchange.sendResponseHeaders(status, -1);
                        return;
                    }
                    contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                    authorizations.add(authorization == null ? "none" : authorization);
                    batches.add(text.lines().toList());
                    exchange.sendResponseHeaders(204, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    exchange.close();
                }
            });
            server.setExecutor(threads);
            server.start();
        }

        CountDownLatch holdRequests() {
            held = new CountDownLatch(1);
            release = new CountDownLatch(1);
            return release;
        }

        void hangUp() {
            down = true;
        }

        void answer() {
            down = false;
        }

        void refuseNext(int status) {
            refusing = status;
        }

        List<String> lines() {
            return batches.stream().flatMap(List::stream).toList();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/router-log-lines");
        }

        void stop() {
            release.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
