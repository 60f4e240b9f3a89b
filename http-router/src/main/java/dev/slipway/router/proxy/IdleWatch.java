package dev.slipway.router.proxy;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeUnit;

/**
 * An app's response body on its way to the client, watched for Heroku's rolling idle window (H15):
 * once the answer has started, the app must send something at least every {@code idleMillis}, or
 * {@code onIdle} runs (and closes both connections). A pause the router asked for (the client reads
 * slowly) does not count. Used on the request's event loop only.
 */
final class IdleWatch implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final Vertx vertx;
    private final long idleMillis;
    private final Runnable onIdle;
    private long timer = -1;
    private long last;
    private boolean paused;
    private boolean done;

    IdleWatch(ReadStream<Buffer> source, Vertx vertx, long idleMillis, Runnable onIdle) {
        this.source = source;
        this.vertx = vertx;
        this.idleMillis = idleMillis;
        this.onIdle = onIdle;
    }

    @Override
    public IdleWatch handler(Handler<Buffer> handler) {
        if (handler == null) {
            source.handler(null);
            finish();
            return this;
        }
        source.handler(chunk -> {
            arm();
            handler.handle(chunk);
        });
        arm();
        return this;
    }

    @Override
    public IdleWatch endHandler(Handler<Void> handler) {
        source.endHandler(end -> {
            finish();
            if (handler != null) {
                handler.handle(end);
            }
        });
        return this;
    }

    @Override
    public IdleWatch exceptionHandler(Handler<Throwable> handler) {
        source.exceptionHandler(failure -> {
            finish();
            if (handler != null) {
                handler.handle(failure);
            }
        });
        return this;
    }

    @Override
    public IdleWatch pause() {
        source.pause();
        paused = true;
        return this;
    }

    @Override
    public IdleWatch resume() {
        source.resume();
        paused = false;
        arm();
        return this;
    }

    @Override
    public IdleWatch fetch(long amount) {
        source.fetch(amount);
        paused = false;
        arm();
        return this;
    }

    /** Something happened: the window starts again (one timer per response, rescheduled lazily). */
    private void arm() {
        last = System.nanoTime();
        if (timer < 0 && !done) {
            schedule(idleMillis);
        }
    }

    private void schedule(long millis) {
        timer = vertx.setTimer(Math.max(1, millis), fired -> {
            timer = -1;
            if (done) {
                return;
            }
            long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
            if (paused || idle < idleMillis) {
                schedule(paused ? idleMillis : idleMillis - idle);
                return;
            }
            done = true;
            onIdle.run();
        });
    }

    private void finish() {
        done = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
