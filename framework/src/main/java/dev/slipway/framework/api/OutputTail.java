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
 * A finished build's log is sent whole.
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
    private long sent;
    private long available;
    private boolean finished;
    private boolean reading;
    private boolean stopped;

    private OutputTail(Context context, HttpServerResponse response, AsyncFile file, BuildLog live) {
        this.context = context;
        this.response = response;
        this.file = file;
        this.live = live;
    }

    /** Answers the request with the output in {@code file}; {@code live} while the build runs. */
    static void send(RoutingContext ctx, Path file, Optional<BuildLog> live) {
        HttpServerResponse response = Handlers.plainText(ctx).setChunked(true);
        FileSystem fs = ctx.vertx().fileSystem();
        Context context = ctx.vertx().getOrCreateContext();
        fs.exists(file.toString()).compose(exists -> exists
                        ? fs.open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                        : Future.<AsyncFile>succeededFuture(null))
                .onSuccess(opened -> {
                    if (opened == null) {
                        // Kept records whose output is gone (removed by hand) have nothing to show.
                        response.end();
                        return;
                    }
                    new OutputTail(context, response, opened, live.orElse(null)).start();
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
        response.writeHead();
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
                        response.write(chunk);
                    }
                }
                pump();
            });
            return;
        }
        if (finished) {
            stop();
            if (!response.ended() && !response.closed()) {
                response.end();
            }
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
        if (live != null) {
            live.unwatch(this);
        }
        file.close();
    }
}
