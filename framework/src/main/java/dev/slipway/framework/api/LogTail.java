package dev.slipway.framework.api;

import dev.slipway.framework.logs.AppLogs;
import dev.slipway.framework.logs.LogFilter;
import dev.slipway.framework.logs.LogLine;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows an app's log over a chunked {@code text/plain} response, as {@code heroku logs --tail}:
 * the recent lines, then each new line as it comes, until the client goes away (or the API stops),
 * or the app is destroyed: then a last line says so and the response ends.
 *
 * <p>Appenders hand lines over through a lock-free inbox and one scheduled hop onto the request's
 * event loop, which owns everything else here. Lines wait in a bounded queue while the response's
 * write queue is full; a client that reads too slowly loses the oldest waiting lines, and is told
 * how many in one line. A client that goes away stops the follow: nothing is left behind.
 *
 * <p>A client that asks for SSE ({@code Accept: text/event-stream}) gets each line as one message
 * ({@code data: <line>}), and a keep-alive comment on a quiet log.
 */
final class LogTail implements AppLogs.Follower {
    /** Lines that may wait for a slow client; beyond, the oldest are skipped. */
    static final int MAX_WAITING = AppLogs.MAX_LINES;
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Context context;
    private final HttpServerResponse response;
    private final Clock clock;
    private final boolean sse;
    private final Queue<String> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Why the log ended (its app was destroyed); set once, after its last line is in the inbox. */
    private volatile String endedWhy;

    // Owned by the event loop.
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private AppLogs.Following following;
    private long skipped;
    private boolean stopped;
    private boolean ending;
    private long keepAlive = -1;

    private LogTail(Context context, HttpServerResponse response, Clock clock, boolean sse) {
        this.context = context;
        this.response = response;
        this.clock = clock;
        this.sse = sse;
    }

    /** Answers the request with the last {@code lines} lines of the app's log, then follows it. */
    static void send(RoutingContext ctx, AppLogs logs, String app, int lines, LogFilter filter, Clock clock) {
        boolean sse = Sse.wanted(ctx);
        HttpServerResponse response = sse ? Sse.start(ctx) : Handlers.plainText(ctx).setChunked(true);
        LogTail tail = new LogTail(ctx.vertx().getOrCreateContext(), response, clock, sse);
        response.closeHandler(v -> tail.stop());
        response.exceptionHandler(e -> tail.stop());
        if (response.closed()) {
            return;
        }
        // The head goes out at once: the client sees the stream begin before the first line.
        if (!response.headWritten()) {
            response.writeHead();
        }
        if (sse) {
            tail.keepAlive = Sse.keepAlive(ctx.vertx(), response, Sse.KEEP_ALIVE);
        }
        tail.following = logs.follow(app, lines, filter, tail);
        tail.following.recent().forEach(tail::queue);
        tail.pump();
    }

    /** From the appending thread, holding the app's log: hands the line to the event loop. */
    @Override
    public void line(String line) {
        inbox.add(line);
        schedule();
    }

    /** From the thread that destroys the app, after its last line: the tail says so and ends. */
    @Override
    public void ended(String why) {
        endedWhy = why;
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                scheduled.set(false);
                // Read before the inbox: every line that came before the end is in it by then.
                String why = endedWhy;
                String next;
                while ((next = inbox.poll()) != null) {
                    queue(next);
                }
                if (why != null && !ending && !stopped) {
                    ending = true;
                    queue(LogLine.of(clock.instant(), "slipway", "logs", why).text());
                }
                pump();
            });
        }
    }

    private void queue(String line) {
        if (stopped) {
            return;
        }
        waiting.addLast(line);
        if (waiting.size() > MAX_WAITING) {
            waiting.pollFirst();
            skipped++;
        }
    }

    private void pump() {
        if (stopped) {
            return;
        }
        while (!waiting.isEmpty() && !response.writeQueueFull()) {
            Buffer chunk = Buffer.buffer();
            if (skipped > 0) {
                chunk.appendBuffer(frame(LogLine.of(clock.instant(), "slipway", "logs", skipped
                        + " lines skipped: the client reads too slowly").text()));
                skipped = 0;
            }
            while (!waiting.isEmpty() && chunk.length() < CHUNK_BYTES) {
                chunk.appendBuffer(frame(waiting.pollFirst()));
            }
            response.write(chunk);
        }
        if (!waiting.isEmpty()) {
            response.drainHandler(v -> pump());
        } else if (ending) {
            stop();
            if (!response.closed()) {
                response.end();
            }
        }
    }

    private Buffer frame(String line) {
        return sse ? Sse.message(null, null, line) : Buffer.buffer(line).appendString("\n");
    }

    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (keepAlive >= 0) {
            context.owner().cancelTimer(keepAlive);
        }
        if (following != null) {
            following.stop();
        }
        waiting.clear();
        inbox.clear();
    }
}
