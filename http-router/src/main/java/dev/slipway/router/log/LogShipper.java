package dev.slipway.router.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's {@link RouterLog}: queues each line and ships the queue to the framework,
 * {@code POST /router-log-lines} of {@value #CONTENT_TYPE} (one line per line:
 * {@code <app> <timestamp> <message>}), with the router's credential as a bearer token.
 *
 * <p>As the executor's log shipper: {@link #line} never blocks (a lock-free queue; called on every
 * event loop); the queue is bounded, and when it is full the oldest line is dropped and counted per
 * app, each app's count shipped later as one line of its own ({@code N log lines dropped}). One
 * request at most is in flight, sent every {@link Settings#interval()} when there are lines, at once
 * while a full batch waits. While the framework is unreachable, answers 5xx, or refuses the
 * credential (401, 403: the credential file is read again), the batch is retried with exponential
 * backoff; a batch it refuses otherwise (4xx) is dropped. Neither lines nor the credential ever reach
 * the router's own log.
 */
public final class LogShipper implements RouterLog {
    private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);
    static final String CONTENT_TYPE = "application/x-slipway-router-log-lines; charset=utf-8";
    /** A line's stamp up to its second; the microseconds and the offset are appended by hand. */
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.")
            .withZone(ZoneOffset.UTC);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param queueLines lines kept while they wait to be shipped; beyond, the oldest are dropped
     * @param batchLines the most lines per request
     * @param batchBytes the most bytes per request (the framework takes at most 1 MB)
     * @param interval   how often queued lines are sent (the longest a line waits, but for backoff)
     * @param backoffMin the first wait before retrying a batch that could not be shipped
     * @param backoffMax the longest wait between retries
     */
    public record Settings(int queueLines, int batchLines, int batchBytes, Duration interval, Duration backoffMin,
                           Duration backoffMax) {
        public Settings {
            if (queueLines < 1 || batchLines < 1 || batchBytes < 1) {
                throw new IllegalArgumentException("router log queue and batch sizes must be positive");
            }
            if (interval.toMillis() < 1 || backoffMin.toMillis() < 1 || backoffMax.compareTo(backoffMin) < 0) {
                throw new IllegalArgumentException("the router log interval and backoff must be at least 1 ms, "
                        + "with backoffMax >= backoffMin");
            }
        }

        /** 10,000 queued lines, batches of 1,000 lines or 512 KB every 200 ms, retries from 250 ms up to 10 s. */
        public static Settings defaults() {
            return new Settings(10_000, 1_000, 512 * 1024, Duration.ofMillis(200), Duration.ofMillis(250),
                    Duration.ofSeconds(10));
        }
    }

    /**
     * Where the router's credential comes from: read on a worker thread, when the shipper has none
     * yet and again after the framework refused the one it had. Null or blank: none yet.
     */
    @FunctionalInterface
    public interface CredentialSource {
        String read() throws Exception;

        /** The credential in {@code file} (what {@code slipway up} writes, 0600); none while there is no file. */
        static CredentialSource file(Path file) {
            return () -> Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        }
    }

    private record Entry(String app, Instant at, RouterLine line) {
    }

    /** A batch as it is posted, kept for its retries. */
    private record Batch(Buffer body, int lines) {
    }

    private enum Outcome { SHIPPED, REFUSED, UNAUTHORIZED, FAILED }

    private final Vertx vertx;
    private final Context context;
    private final HttpClient http;
    private final URI target;
    private final CredentialSource credentials;
    private final Settings settings;
    private final Clock clock;

    // Shared with every event loop: lock-free.
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentHashMap<String, Long> dropped = new ConcurrentHashMap<>();
    /** Every line dropped since start (the queue was full, or the framework refused its batch): a metric. */
    private final java.util.concurrent.atomic.LongAdder droppedTotal = new java.util.concurrent.atomic.LongAdder();

    // Owned by the shipper's context.
    private Batch batch;
    /** The second {@link #secondText} stamps: thousands of lines a second share it. */
    private long stampedSecond = Long.MIN_VALUE;
    private String secondText;
    private String credential;
    private Duration backoff;
    private boolean failing;
    private boolean inFlight;
    private long timer = -1;
    private boolean closing;
    private long closeDeadline;
    private final Promise<Void> closed = Promise.promise();

    private LogShipper(Vertx vertx, URI target, CredentialSource credentials, Settings settings, Clock clock) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setKeepAlive(true));
        this.target = target;
        this.credentials = credentials;
        this.settings = settings;
        this.clock = clock;
        this.backoff = settings.backoffMin();
    }

    /**
     * Starts shipping to {@code target} (the framework's {@code .../router-log-lines}). Call it off
     * any event loop: the shipper takes a context of its own.
     */
    public static LogShipper start(Vertx vertx, URI target, CredentialSource credentials, Settings settings,
                                   Clock clock) {
        LogShipper shipper = new LogShipper(vertx, target, credentials, settings, clock);
        shipper.context.runOnContext(v -> shipper.later(settings.interval()));
        LOG.info("shipping the router's log lines to {}", target);
        return shipper;
    }

    @Override
    public void line(String app, RouterLine line) {
        if (app == null || line == null) {
            return;
        }
        queue.offer(new Entry(app, clock.instant(), line));
        if (queued.incrementAndGet() > settings.queueLines()) {
            Entry oldest = queue.poll();
            if (oldest != null) {
                queued.decrementAndGet();
                dropped.merge(oldest.app(), 1L, Long::sum);
                droppedTotal.increment();
            }
        }
    }

    @Override
    public long dropped() {
        return droppedTotal.sum();
    }

    /**
     * Ships what is queued and stops, giving up on whatever is left after {@code within}.
     * Completes by then. Idempotent.
     */
    public Future<Void> close(Duration within) {
        context.runOnContext(v -> {
            if (closing) {
                return;
            }
            closing = true;
            closeDeadline = System.nanoTime() + within.toNanos();
            vertx.setTimer(Math.max(1, within.toMillis()), id -> finish());
            if (timer != -1) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            if (!inFlight) {
                step();
            }
        });
        return closed.future();
    }

    // --- on the shipper's context

    private void later(Duration delay) {
        if (closed.future().isComplete()) {
            return;
        }
        timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
            timer = -1;
            step();
        });
    }

    private void step() {
        if (closed.future().isComplete()) {
            return;
        }
        if (closing && (nothingLeft() || closeDeadline - System.nanoTime() <= 0)) {
            finish();
            return;
        }
        if (batch == null) {
            batch = drain();
        }
        if (batch.lines() == 0) {
            batch = null;
            later(settings.interval());
            return;
        }
        inFlight = true;
        credential().compose(token -> post(batch, token)).recover(failure -> {
            failed("cannot reach " + target + ": " + (failure.getMessage() == null
                    ? failure.getClass().getSimpleName() : failure.getMessage()));
            return Future.succeededFuture(Outcome.FAILED);
        }).onSuccess(this::after);
    }

    private void after(Outcome outcome) {
        inFlight = false;
        switch (outcome) {
            case SHIPPED, REFUSED -> {
                batch = null;
                backoff = settings.backoffMin();
                if (closing) {
                    step();
                } else {
                    later(queued.get() >= settings.batchLines() ? Duration.ZERO : settings.interval());
                }
            }
            case UNAUTHORIZED, FAILED -> {
                if (closing) {
                    finish();
                    return;
                }
                later(backoff);
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(settings.backoffMax()) < 0 ? doubled : settings.backoffMax();
            }
        }
    }

    private boolean nothingLeft() {
        return batch == null && queued.get() == 0 && dropped.isEmpty();
    }

    private void finish() {
        if (closed.future().isComplete()) {
            return;
        }
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        long left = queued.get() + (batch == null ? 0 : batch.lines());
        if (left > 0) {
            LOG.warn("{} router log lines could not be shipped to {} before the router stopped", left, target);
        }
        http.close().onComplete(done -> closed.tryComplete());
    }

    /**
     * The next batch: first one line per app whose lines were dropped since the last batch, then
     * the oldest queued lines, up to the batch's bounds. Written straight into the body to post.
     */
    private Batch drain() {
        Buffer body = Buffer.buffer(Math.min(settings.batchBytes(), 64 * 1024));
        StringBuilder line = new StringBuilder(256);
        int lines = 0;
        for (String app : List.copyOf(dropped.keySet())) {
            Long count = dropped.remove(app);
            if (count != null) {
                format(line, app, clock.instant(), count + " log lines dropped");
                body.appendString(line.toString());
                lines++;
                LOG.warn("{} router log lines of app {} dropped: the queue of {} lines was full", count, app,
                        settings.queueLines());
            }
        }
        while (lines < settings.batchLines()) {
            Entry next = queue.peek();
            if (next == null) {
                break;
            }
            format(line, next.app(), next.at(), next.line().format());
            String text = line.toString();
            if (lines > 0 && body.length() + utf8Length(text) > settings.batchBytes()) {
                break;
            }
            if (queue.poll() == null) {
                break;
            }
            queued.decrementAndGet();
            body.appendString(text);
            lines++;
        }
        return new Batch(body, lines);
    }

    /** {@code <app> <timestamp> <message>} and a newline into {@code line}, the message on one line whatever it holds. */
    private void format(StringBuilder line, String app, Instant at, String message) {
        line.setLength(0);
        line.append(app).append(' ');
        stamp(line, at);
        line.append(' ');
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            line.append(c == '\n' || c == '\r' ? ' ' : c);
        }
        line.append('\n');
    }

    /** {@code 2026-12-07T19:00:56.123456+00:00}, as a log line's stamp reads (the framework copies it as it is). */
    private void stamp(StringBuilder line, Instant at) {
        long second = at.getEpochSecond();
        if (second != stampedSecond) {
            secondText = SECOND.format(at);
            stampedSecond = second;
        }
        int micros = at.getNano() / 1000;
        line.append(secondText);
        for (int divisor = 100_000; divisor > 0; divisor /= 10) {
            line.append((char) ('0' + micros / divisor % 10));
        }
        line.append("+00:00");
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private Future<String> credential() {
        if (credential != null) {
            return Future.succeededFuture(credential);
        }
        return vertx.<String>executeBlocking(credentials::read, false).compose(read -> {
            if (read == null || read.isBlank()) {
                return Future.failedFuture(new IllegalStateException("no router credential yet"));
            }
            credential = read.strip();
            return Future.succeededFuture(credential);
        });
    }

    private Future<Outcome> post(Batch lines, String token) {
        long timeout = REQUEST_TIMEOUT.toMillis();
        if (closing) {
            timeout = Math.max(1, Math.min(timeout, Duration.ofNanos(closeDeadline - System.nanoTime()).toMillis()));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.toString())
                .setIdleTimeout(timeout)
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("Authorization", "Bearer " + token);
        return http.request(options)
                .compose(request -> request.send(lines.body()))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .map(status -> outcome(status, lines.lines()));
    }

    private Outcome outcome(int status, int lines) {
        if (status >= 200 && status < 300) {
            if (failing) {
                LOG.info("shipping router log lines to {} again", target);
                failing = false;
            }
            return Outcome.SHIPPED;
        }
        if (status == 401 || status == 403) {
            credential = null;
            failed(target + " refused the router's credential (" + status + "): it is read again from its file");
            return Outcome.UNAUTHORIZED;
        }
        if (status >= 500 || status == 408 || status == 429) {
            failed(target + " answered " + status);
            return Outcome.FAILED;
        }
        LOG.warn("{} refused {} router log lines with status {}: they are dropped", target, lines, status);
        droppedTotal.add(lines);
        return Outcome.REFUSED;
    }

    private void failed(String why) {
        if (!failing) {
            LOG.warn("cannot ship router log lines ({}); retrying with backoff, keeping at most {} lines meanwhile",
                    why, settings.queueLines());
            failing = true;
        } else {
            LOG.debug("shipping router log lines failed again: {}", why);
        }
    }
}
