package dev.slipway.framework.api;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * A request's body as a blocking {@link InputStream}, for a library that reads one (JGit) on a
 * worker thread: chunks are handed over as they arrive, at most about {@value #HIGH_WATER} bytes
 * at a time (the request is paused beyond that), so a large body is never held whole. A body
 * longer than its limit fails the stream with {@link TooLarge} and stops being read.
 */
final class RequestInput extends InputStream {
    static final int HIGH_WATER = 1024 * 1024;
    private static final int LOW_WATER = 256 * 1024;
    private static final long IDLE_MILLIS = 5 * 60 * 1000L;

    /** The body went past its limit. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("the request body is larger than " + max + " bytes");
        }
    }

    private final Context context;
    private final HttpServerRequest request;
    private final long maxBytes;
    private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
    private long queued;
    private long received;
    private boolean paused;
    private boolean ended;
    private IOException failure;
    private Buffer current;
    private int position;

    private RequestInput(Context context, HttpServerRequest request, long maxBytes) {
        this.context = context;
        this.request = request;
        this.maxBytes = maxBytes;
    }

    /** Starts reading {@code request}'s body (call on its event loop, with the request paused). */
    static RequestInput of(Context context, HttpServerRequest request, long maxBytes) {
        RequestInput input = new RequestInput(context, request, maxBytes);
        request.handler(input::offer);
        request.endHandler(v -> input.end());
        request.exceptionHandler(input::fail);
        request.response().closeHandler(v -> input.fail(new IOException("the client closed the connection")));
        request.resume();
        return input;
    }

    /** Whether the body went past its limit. */
    synchronized boolean tooLarge() {
        return failure instanceof TooLarge;
    }

    private synchronized void offer(Buffer chunk) {
        if (failure != null) {
            return;
        }
        received += chunk.length();
        if (received > maxBytes) {
            request.pause();
            chunks.clear();
            failure = new TooLarge(maxBytes);
            notifyAll();
            return;
        }
        chunks.add(chunk);
        queued += chunk.length();
        if (queued > HIGH_WATER && !paused) {
            paused = true;
            request.pause();
        }
        notifyAll();
    }

    private synchronized void end() {
        ended = true;
        notifyAll();
    }

    private synchronized void fail(Throwable cause) {
        if (failure == null && !ended) {
            failure = cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
        notifyAll();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        long deadline = System.currentTimeMillis() + IDLE_MILLIS;
        while (current == null || position == current.length()) {
            if (failure instanceof TooLarge) {
                throw failure;
            }
            if (!chunks.isEmpty()) {
                current = chunks.poll();
                position = 0;
                queued -= current.length();
                if (paused && queued < LOW_WATER) {
                    paused = false;
                    context.runOnContext(v -> request.resume());
                }
                continue;
            }
            if (failure != null) {
                throw failure;
            }
            if (ended) {
                return -1;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IOException("the client sent nothing for " + IDLE_MILLIS / 1000 + " s");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the request body");
            }
        }
        int n = Math.min(length, current.length() - position);
        current.getBytes(position, position + n, target, offset);
        position += n;
        return n;
    }
}
