package dev.slipway.framework.api;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A chunked 200 response as a blocking {@link OutputStream}, for a library that writes one (JGit)
 * on a worker thread. Each write goes out at once (JGit flushes its own buffers where the client
 * must see something); the writer waits while more than {@value #HIGH_WATER} bytes are on their
 * way, so a slow client holds back the writer rather than filling memory. The head is sent with
 * the first write: until then the request can still be answered with a problem.
 */
final class ResponseOutput extends OutputStream {
    private static final long HIGH_WATER = 1024 * 1024;

    private final Context context;
    private final HttpServerResponse response;
    private final String contentType;
    private long pending;
    private boolean started;
    private IOException failure;

    ResponseOutput(Context context, HttpServerResponse response, String contentType) {
        this.context = context;
        this.response = response;
        this.contentType = contentType;
    }

    /** Whether anything was written: the head is (or is about to be) out. */
    synchronized boolean started() {
        return started;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        Buffer chunk = Buffer.buffer(length).appendBytes(bytes, offset, length);
        synchronized (this) {
            while (pending > HIGH_WATER && failure == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while writing the response");
                }
            }
            if (failure != null) {
                throw failure;
            }
            pending += length;
            started = true;
        }
        context.runOnContext(v -> {
            head();
            response.write(chunk).onComplete(written -> sent(length, written.failed() ? written.cause() : null));
        });
    }

    private synchronized void sent(int length, Throwable cause) {
        pending -= length;
        if (cause != null && failure == null) {
            failure = new IOException("the client went away: " + cause.getMessage(), cause);
        }
        notifyAll();
    }

    /** Ends the response (with its head, if nothing was written); after the last write. */
    void finish() {
        context.runOnContext(v -> {
            if (response.ended() || response.closed()) {
                return;
            }
            head();
            response.end();
        });
    }

    private void head() {
        if (!response.headWritten()) {
            response.setStatusCode(200)
                    .putHeader("Content-Type", contentType)
                    .putHeader("Cache-Control", "no-cache, max-age=0, must-revalidate")
                    .setChunked(true);
        }
    }
}
