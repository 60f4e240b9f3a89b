package dev.slipway.framework.api;

import dev.slipway.framework.build.BuildLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one build's output as a chunked {@code text/plain} response, as {@code tail -f} would:
 * what the log file holds so far, then what is appended to it, ending once the build has ended.
 * A finished build's log is sent whole. A client that asks for SSE gets each line as a message
 * whose id is where the next line starts (a {@code Last-Event-ID} resumes there), and a last
 * {@code event: end} once the build has ended.
 *
 * <p>The file is the only copy: the build's thread only says how far it has grown, and the tail
 * reads from the file at the client's pace, a chunk at a time and never while the response's
 * write queue is full. Everything but {@link #grew} runs on the request's event loop; file reads
 * are Vert.x's asynchronous ones. A client that goes away stops the tail and its watch.
 */
final class OutputTail implements BuildLog.Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(OutputTail.class);
    private static final int CHUNK = 64 * 1024;

    private final Context context;
    private final HttpServerResponse response;
    private final AsyncFile file;
    private final BuildLog live;
    /** Frames SSE messages from the bytes read; null for plain text. */
    private final SseLines sse;
    private long keepAlive = -1;
    private long sent;
    private long available;
    private boolean finished;
    private boolean reading;
    private boolean stopped;

    private OutputTail(Context context, HttpServerResponse response, AsyncFile file, BuildLog live, long from,
                       boolean sse) {
        this.context = context;
        this.response = response;
        this.file = file;
        this.live = live;
        this.sent = from;
        this.sse = sse ? new SseLines(from) : null;
    }

    /**
     * Answers the request with the output in {@code file}; {@code live} while the build runs. As
     * SSE when the client asks for it, from the byte its {@code Last-Event-ID} names.
     */
    static void send(RoutingContext ctx, Path file, Optional<BuildLog> live) {
        boolean sse = Sse.wanted(ctx);
        long from = sse ? offset(ctx.request().getHeader("Last-Event-ID")) : 0;
        HttpServerResponse response = sse ? Sse.start(ctx) : Handlers.plainText(ctx).setChunked(true);
        FileSystem fs = ctx.vertx().fileSystem();
        Context context = ctx.vertx().getOrCreateContext();
        fs.exists(file.toString()).compose(exists -> exists
                        ? fs.open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                        : Future.<AsyncFile>succeededFuture(null))
                .onSuccess(opened -> {
                    if (opened == null) {
                        // Kept records whose output is gone (removed by hand) have nothing to show.
                        response.end(sse ? Sse.message(null, "end", "") : io.vertx.core.buffer.Buffer.buffer());
                        return;
                    }
                    OutputTail tail = new OutputTail(context, response, opened, live.orElse(null), from, sse);
                    if (sse) {
                        tail.keepAlive = Sse.keepAlive(ctx.vertx(), response, Sse.KEEP_ALIVE);
                    }
                    tail.start();
                })
                .onFailure(failure -> Problems.send(ctx, Problems.of(failure)));
    }

    private void start() {
        response.closeHandler(v -> stop());
        response.exceptionHandler(e -> stop());
        if (response.closed()) {
            stop();
            return;
        }
        // The head goes out at once: the client sees the stream begin before the first line.
        if (!response.headWritten()) {
            response.writeHead();
        }
        Future<BuildLog.Position> position = live != null ? Future.succeededFuture(live.watch(this))
                : file.size().map(size -> new BuildLog.Position(size, true));
        position.onSuccess(p -> advance(p.size(), p.finished()))
                .onFailure(this::fail);
    }

    /** From the build's thread: hands the news to the event loop. */
    @Override
    public void grew(long size, boolean done) {
        context.runOnContext(v -> advance(size, done));
    }

    private void advance(long size, boolean done) {
        available = Math.max(available, size);
        finished |= done;
        pump();
    }

    private void pump() {
        if (stopped || reading) {
            return;
        }
        if (sent < available) {
            if (response.writeQueueFull()) {
                response.drainHandler(v -> pump());
                return;
            }
            reading = true;
            int length = (int) Math.min(CHUNK, available - sent);
            file.read(Buffer.buffer(length), 0, sent, length).onComplete(read -> {
                reading = false;
                if (read.failed()) {
                    fail(read.cause());
                    return;
                }
                Buffer chunk = read.result();
                if (chunk.length() == 0) {
                    // The file is shorter than it was said to be: nothing more will come.
                    finished = true;
                    available = sent;
                } else {
                    sent += chunk.length();
                    if (!stopped) {
                        Buffer framed = sse == null ? chunk : sse.frame(chunk);
                        if (framed.length() > 0) {
                            response.write(framed);
                        }
                    }
                }
                pump();
            });
            return;
        }
        if (finished) {
            stop();
            if (!response.ended() && !response.closed()) {
                response.end(sse == null ? Buffer.buffer() : sse.end());
            }
        }
    }

    /** The byte a {@code Last-Event-ID} says to resume from; 0 (the start) for none or a bad one. */
    private static long offset(String lastEventId) {
        if (lastEventId == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(lastEventId.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Cuts the bytes read into whole lines, each an SSE message whose id is the offset just past
     * it. Splits on {@code \n} bytes only, so a UTF-8 character is never cut.
     */
    private static final class SseLines {
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private long offset;

        SseLines(long from) {
            this.offset = from;
        }

        Buffer frame(Buffer chunk) {
            Buffer framed = Buffer.buffer();
            for (int i = 0; i < chunk.length(); i++) {
                byte b = chunk.getByte(i);
                offset++;
                if (b == '\n') {
                    framed.appendBuffer(line());
                } else {
                    partial.write(b);
                }
            }
            return framed;
        }

        /** The last line, if the output did not end with one, then the end. */
        Buffer end() {
            Buffer framed = partial.size() > 0 ? line() : Buffer.buffer();
            return framed.appendBuffer(Sse.message(null, "end", ""));
        }

        private Buffer line() {
            String text = partial.toString(java.nio.charset.StandardCharsets.UTF_8);
            partial.reset();
            return Sse.message(Long.toString(offset), null, text);
        }
    }

    private void fail(Throwable failure) {
        LOG.warn("cannot send build output from {}: {}", file, failure.getMessage());
        stop();
        // The head is out: all that is left is to cut the stream short.
        response.reset();
    }

    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (keepAlive >= 0) {
            context.owner().cancelTimer(keepAlive);
        }
        if (live != null) {
            live.unwatch(this);
        }
        file.close();
    }
}
