package dev.slipway.executor.logs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships log lines to the framework: {@code POST} of {@value #CONTENT_TYPE}, one formatted line
 * per line (a type of Slipway's own, which no web page can make a browser send without asking the
 * framework first; the framework refuses {@code text/plain}), in batches of at most
 * {@link Settings#batchLines()} lines sent at least every {@link Settings#flushInterval()}, on its
 * own thread, in the order they were offered.
 *
 * <p>{@link #offer} never blocks the app's output pumps: the queue is bounded, and when it is full
 * the oldest queued line is dropped; how many were dropped is shipped later as one line,
 * {@code slipway[executor]: N log lines dropped}. While the framework is unreachable (or answers
 * 5xx) the batch is retried with exponential backoff; a batch it refuses (4xx) is dropped. On
 * {@link #close} what is queued is shipped, within a bound. Line contents never reach the
 * executor's own log.
 */
public final class LogShipper {
    private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);
    static final String CONTENT_TYPE = "application/x-slipway-log-lines; charset=utf-8";

    /**
     * @param queueLines    lines kept while they wait to be shipped; beyond, the oldest are dropped
     * @param batchLines    the most lines per request
     * @param batchBytes    the most bytes per request (the framework takes at most 1 MB)
     * @param flushInterval the longest a line waits for more to make up a batch
     * @param backoffMin    the first wait before retrying a batch that could not be shipped
     * @param backoffMax    the longest wait between retries
     */
    public record Settings(int queueLines, int batchLines, int batchBytes, Duration flushInterval,
                           Duration backoffMin, Duration backoffMax) {
        public Settings {
            if (queueLines < 1 || batchLines < 1 || batchBytes < 1) {
                throw new IllegalArgumentException("queue and batch sizes must be positive");
            }
            if (flushInterval.isNegative() || backoffMin.isNegative() || backoffMin.isZero()
                    || backoffMax.compareTo(backoffMin) < 0) {
                throw new IllegalArgumentException("the flush interval must not be negative and the backoff must "
                        + "be positive with backoffMax >= backoffMin");
            }
        }

        /** 10,000 queued lines, batches of 200 lines or 512 KB every 200 ms, retries from 250 ms up to 10 s. */
        public static Settings defaults() {
            return new Settings(10_000, 200, 512 * 1024, Duration.ofMillis(200), Duration.ofMillis(250),
                    Duration.ofSeconds(10));
        }
    }

    private enum Outcome { SHIPPED, REFUSED, FAILED, INTERRUPTED }

    private final URI target;
    /** The task's credential, sent as a bearer token; null: none. Secret: never logged. */
    private final String credential;
    private final Settings settings;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread sender;

    // Guarded by lock.
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private long dropped;
    private boolean closing;
    private long closeDeadline;

    // Owned by the sender thread.
    private boolean failing;

    private LogShipper(URI target, String credential, Settings settings, Clock clock) {
        this.target = target;
        this.credential = credential;
        this.settings = settings;
        this.clock = clock;
        this.sender = new Thread(this::run, "log-shipper");
        this.sender.setDaemon(true);
    }

    /** Starts shipping to {@code target} ({@code .../apps/<app>/log-lines}). */
    public static LogShipper start(URI target, Settings settings, Clock clock) {
        return start(target, null, settings, clock);
    }

    /** Starts shipping to {@code target} with the task's {@code credential} (null: none). */
    public static LogShipper start(URI target, String credential, Settings settings, Clock clock) {
        LogShipper shipper = new LogShipper(target, credential, settings, clock);
        shipper.sender.start();
        LOG.info("shipping the app's log lines to {}", target);
        return shipper;
    }

    /** Queues one formatted line; drops the oldest queued line when the queue is full. Never blocks on I/O. */
    public void offer(String line) {
        lock.lock();
        try {
            if (closing && closeDeadline - System.nanoTime() <= 0) {
                dropped++;
                return;
            }
            if (queue.size() >= settings.queueLines()) {
                queue.pollFirst();
                dropped++;
            }
            queue.addLast(line);
            if (queue.size() == 1 || queue.size() >= settings.batchLines()) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ships what is queued and stops, giving up on whatever is left after {@code within}: returns
     * by then (plus a moment for the request in flight to be abandoned). Idempotent.
     */
    public void close(Duration within) {
        lock.lock();
        try {
            if (!closing) {
                closing = true;
                closeDeadline = System.nanoTime() + within.toNanos();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            sender.join(Math.max(1, within.toMillis()));
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            if (!queue.isEmpty() || dropped > 0) {
                LOG.warn("{} log lines could not be shipped to {} before the executor stopped", queue.size() + dropped,
                        target);
                queue.clear();
                dropped = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    // --- the sender thread

    private void run() {
        List<String> batch = null;
        Duration backoff = settings.backoffMin();
        try {
            while (true) {
                if (batch == null) {
                    batch = nextBatch();
                    if (batch == null) {
                        return;
                    }
                }
                Outcome outcome = post(batch);
                if (outcome == Outcome.INTERRUPTED) {
                    return;
                }
                if (outcome != Outcome.FAILED) {
                    batch = null;
                    backoff = settings.backoffMin();
                    continue;
                }
                if (!pause(backoff)) {
                    requeue(batch);
                    return;
                }
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(settings.backoffMax()) < 0 ? doubled : settings.backoffMax();
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: what is left is counted there.
            if (batch != null) {
                requeue(batch);
            }
        }
    }

    /**
     * The next batch: waits for a first line, then up to the flush interval for a full batch
     * (not at all once closing). Null once closing with nothing left.
     */
    private List<String> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && dropped == 0 && !closing) {
                changed.await();
            }
            if (!closing) {
                long deadline = System.nanoTime() + settings.flushInterval().toNanos();
                long left;
                while (!closing && queue.size() < settings.batchLines()
                        && (left = deadline - System.nanoTime()) > 0) {
                    changed.awaitNanos(left);
                }
            }
            if (queue.isEmpty() && dropped == 0) {
                return null;
            }
            if (closing && closeDeadline - System.nanoTime() <= 0) {
                return null;
            }
            return drain();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the next batch off the queue, led by the count of lines dropped since the last one. Holds the lock. */
    private List<String> drain() {
        List<String> batch = new ArrayList<>();
        long bytes = 0;
        if (dropped > 0) {
            String notice = LogFormat.line(clock.instant(), "slipway", "executor", dropped + " log lines dropped");
            batch.add(notice);
            bytes += utf8Length(notice) + 1;
            LOG.warn("{} log lines dropped: the queue of {} lines was full", dropped, settings.queueLines());
            dropped = 0;
        }
        while (!queue.isEmpty() && batch.size() < settings.batchLines()) {
            long size = utf8Length(queue.peekFirst()) + 1;
            if (!batch.isEmpty() && bytes + size > settings.batchBytes()) {
                break;
            }
            batch.add(queue.pollFirst());
            bytes += size;
        }
        return batch;
    }

    /** Puts a batch that could not be shipped back at the head of the queue, for close() to count. */
    private void requeue(List<String> batch) {
        lock.lock();
        try {
            for (int i = batch.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.get(i));
            }
        } finally {
            lock.unlock();
        }
    }

    private Outcome post(List<String> batch) {
        StringBuilder body = new StringBuilder();
        batch.forEach(line -> body.append(line).append('\n'));
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(requestTimeout())
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (credential != null) {
            builder.header("Authorization", "Bearer " + credential);
        }
        HttpRequest request = builder.build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            failed("cannot reach " + target + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
            return Outcome.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.INTERRUPTED;
        }
        if (status >= 200 && status < 300) {
            if (failing) {
                LOG.info("shipping log lines to {} again", target);
                failing = false;
            }
            return Outcome.SHIPPED;
        }
        if (status >= 500 || status == 408 || status == 429) {
            failed(target + " answered " + status);
            return Outcome.FAILED;
        }
        LOG.warn("{} refused {} log lines with status {}: they are dropped", target, batch.size(), status);
        return Outcome.REFUSED;
    }

    private void failed(String why) {
        if (!failing) {
            LOG.warn("cannot ship log lines ({}); retrying with backoff, keeping at most {} lines meanwhile", why,
                    settings.queueLines());
            failing = true;
        } else {
            LOG.debug("shipping log lines failed again: {}", why);
        }
    }

    /** The longest a request may take: 10 s, less once closing, to keep to the close deadline. */
    private Duration requestTimeout() {
        Duration timeout = Duration.ofSeconds(10);
        lock.lock();
        try {
            if (closing) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(closeDeadline - System.nanoTime()));
                return Duration.ofMillis(Math.min(left, timeout.toMillis()));
            }
            return timeout;
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code backoff} before a retry, cut short by the close deadline; false when that has passed. */
    private boolean pause(Duration backoff) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + backoff.toNanos();
            while (true) {
                long now = System.nanoTime();
                if (closing && closeDeadline - now <= 0) {
                    return false;
                }
                long until = closing && closeDeadline - deadline < 0 ? closeDeadline : deadline;
                long left = until - now;
                if (left <= 0) {
                    return true;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
