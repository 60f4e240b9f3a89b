package dev.slipway.executor.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor's log shipper against a real HTTP server on loopback, standing in for the framework. */
class LogShipperTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456Z"), ZoneOffset.UTC);
    private static final LogShipper.Settings FAST = new LogShipper.Settings(10_000, 200, 512 * 1024,
            Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(200));

    private final List<LogShipper> shippers = new ArrayList<>();
    private final List<Framework> frameworks = new ArrayList<>();

    @AfterEach
    void stop() {
        shippers.forEach(shipper -> shipper.close(Duration.ofMillis(100)));
        frameworks.forEach(Framework::stop);
    }

    @Test
    void linesArriveInOrderInBatchesOfAtMostTwoHundredAsUtf8Text() throws Exception {
        Framework framework = aFramework();
        LogShipper shipper = ship(framework, FAST);
        List<String> lines = lines("line ", 450);
        lines.set(7, "2026-01-02T03:04:05.000000+00:00 app[web.1]: héllo ✓ 🚢");

        lines.forEach(shipper::offer);

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 450);
        assertThat(framework.lines()).containsExactlyElementsOf(lines);
        assertThat(framework.batches).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(200));
        assertThat(framework.contentTypes).containsOnly("application/x-slipway-log-lines; charset=utf-8");
    }

    @Test
    void theTasksCredentialIsSentAsABearerTokenWithEveryBatch() throws Exception {
        Framework framework = aFramework();
        LogShipper shipper = LogShipper.start(framework.url(), "slwtask.hello.web.1.v1.abcd.c2lnbmF0dXJl", FAST,
                CLOCK);
        shippers.add(shipper);

        lines("line ", 300).forEach(shipper::offer);

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 300);
        assertThat(framework.authorizations).hasSizeGreaterThanOrEqualTo(2)
                .containsOnly("Bearer slwtask.hello.web.1.v1.abcd.c2lnbmF0dXJl");
    }

    @Test
    void aLoneLineIsShippedWithoutWaitingForMore() throws Exception {
        Framework framework = aFramework();
        LogShipper shipper = ship(framework, FAST);

        shipper.offer("just one");

        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.lines().equals(List.of("just one")));
    }

    @Test
    void aBatchIsCutShortBeforeItPassesTheByteLimit() throws Exception {
        Framework framework = aFramework();
        LogShipper shipper = ship(framework, new LogShipper.Settings(10_000, 200, 1000, Duration.ofMillis(200),
                Duration.ofMillis(50), Duration.ofMillis(200)));
        List<String> lines = lines("x".repeat(300) + " ", 10);

        lines.forEach(shipper::offer);

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 10);
        assertThat(framework.lines()).containsExactlyElementsOf(lines);
        assertThat(framework.batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(3));
    }

    @Test
    void whenTheQueueIsFullTheOldestLinesAreDroppedAndHowManyIsShipped() throws Exception {
        Framework framework = aFramework();
        CountDownLatch release = framework.holdRequests();
        LogShipper shipper = ship(framework, new LogShipper.Settings(10, 200, 512 * 1024, Duration.ofMillis(200),
                Duration.ofMillis(50), Duration.ofMillis(200)));
        shipper.offer("first");
        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.held.getCount() == 0);

        List<String> more = lines("more ", 25);
        more.forEach(shipper::offer);
        release.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 12);
        assertThat(framework.lines()).containsExactlyElementsOf(concat(List.of("first",
                "2026-01-02T03:04:05.123456+00:00 slipway[executor]: 15 log lines dropped"), more.subList(15, 25)));
    }

    @Test
    void offeringNeverWaitsForAFrameworkThatDoesNotAnswer() throws Exception {
        Framework framework = aFramework();
        framework.holdRequests();
        LogShipper shipper = ship(framework, new LogShipper.Settings(100, 10, 512 * 1024, Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofMillis(200)));
        shipper.offer("first");
        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.held.getCount() == 0);

        Thread pump = new Thread(() -> lines("line ", 100_000).forEach(shipper::offer));
        pump.start();

        pump.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(pump.isAlive()).as("the app's output pump is never held up").isFalse();
    }

    @Test
    void linesQueuedWhileTheFrameworkIsDownAreShippedOnceItIsBack() throws Exception {
        // One listener for the whole test: closing a server and binding its port again races with
        // the old socket's close (and with anything else on the machine taking the port).
        Framework framework = aFramework();
        framework.hangUp();
        LogShipper shipper = ship(framework, FAST);
        lines("while down ", 5).forEach(shipper::offer);
        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.hungUp.get() >= 3);

        framework.answer();
        lines("after ", 3).forEach(shipper::offer);

        await().atMost(10, TimeUnit.SECONDS).until(() -> framework.lines().size() == 8);
        assertThat(framework.lines()).containsExactlyElementsOf(concat(lines("while down ", 5), lines("after ", 3)));
    }

    @Test
    void aBatchTheFrameworkRefusesIsDroppedAndShippingGoesOn() throws Exception {
        Framework framework = aFramework();
        framework.refuseNext(404);
        LogShipper shipper = ship(framework, FAST);

        shipper.offer("refused");
        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.refusing == 0);
        shipper.offer("taken");

        await().atMost(5, TimeUnit.SECONDS).until(() -> framework.lines().equals(List.of("taken")));
    }

    @Test
    void closingShipsWhatIsQueued() throws Exception {
        Framework framework = aFramework();
        LogShipper shipper = ship(framework, new LogShipper.Settings(10_000, 200, 512 * 1024, Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofMillis(200)));
        List<String> lines = lines("last words ", 250);
        lines.forEach(shipper::offer);

        shipper.close(Duration.ofSeconds(5));

        assertThat(framework.lines()).containsExactlyElementsOf(lines);
    }

    @Test
    void closingGivesUpAtItsDeadlineWhenTheFrameworkIsUnreachable() throws Exception {
        Framework framework = aFramework();
        framework.stop();
        LogShipper shipper = ship(framework, FAST);
        shipper.offer("never shipped");
        long started = System.nanoTime();

        shipper.close(Duration.ofMillis(300));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    // --- scenario

    private LogShipper ship(Framework framework, LogShipper.Settings settings) {
        LogShipper shipper = LogShipper.start(framework.url(), settings, CLOCK);
        shippers.add(shipper);
        return shipper;
    }

    private Framework aFramework() throws IOException {
        Framework framework = new Framework();
        frameworks.add(framework);
        return framework;
    }

    private static List<String> lines(String prefix, int count) {
        return new ArrayList<>(IntStream.range(0, count).mapToObj(i -> prefix + i).toList());
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The framework's {@code POST /apps/hello/log-lines}, recording each batch. */
    private static final class Framework {
        final HttpServer server;
        final int port;
        final ExecutorService threads = Executors.newCachedThreadPool();
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final List<String> contentTypes = new CopyOnWriteArrayList<>();
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile CountDownLatch held = new CountDownLatch(0);
        volatile int refusing;
        volatile boolean down;
        final AtomicInteger hungUp = new AtomicInteger();

        Framework() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            this.port = server.getAddress().getPort();
            server.createContext("/apps/hello/log-lines", exchange -> {
                if (down) {
                    // Closing an exchange that sent no response drops the connection: a framework
                    // that dies mid-request, as the shipper sees it.
                    hungUp.incrementAndGet();
                    exchange.close();
                    return;
                }
                try (InputStream body = exchange.getRequestBody()) {
                    String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                    held.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    int status = refusing;
                    if (status > 0) {
                        refusing = 0;
                        exchange.sendResponseHeaders(status, -1);
                        return;
                    }
                    contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
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

        /** Requests wait until the latch is released; {@link #held} counts down when the first arrives. */
        CountDownLatch holdRequests() {
            held = new CountDownLatch(1);
            release = new CountDownLatch(1);
            return release;
        }

        /** Drops every connection without an answer until {@link #answer}. */
        void hangUp() {
            down = true;
        }

        void answer() {
            down = false;
        }

        /** Answers the next request with {@code status}, taking nothing. */
        void refuseNext(int status) {
            refusing = status;
        }

        List<String> lines() {
            return batches.stream().flatMap(List::stream).toList();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port + "/apps/hello/log-lines");
        }

        void stop() {
            release.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
