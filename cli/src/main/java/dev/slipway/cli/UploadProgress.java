package dev.slipway.cli;

import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * An upload's progress as a user sees it: on a terminal, one line on stderr rewritten as the
 * bytes go ({@code -----> Uploading DIR: 1.2 MB of 3.4 MB (35%)}), at most ten times a second and
 * erased at the end; elsewhere nothing until the caller's final line.
 */
final class UploadProgress implements LongConsumer {
    private static final long EVERY_NANOS = 100_000_000L;

    private final String label;
    private final long total;
    private final PrintStream err;
    private final boolean shown;
    private long lastNanos;
    private boolean printed;

    UploadProgress(String label, long total, PrintStream err, boolean terminal) {
        this.label = label;
        this.total = total;
        this.err = err;
        this.shown = terminal;
    }

    /** Progress for this terminal: shown when stdout is one. */
    static UploadProgress onTerminal(String label, long total) {
        return new UploadProgress(label, total, System.err, Terminal.interactive());
    }

    @Override
    public synchronized void accept(long sent) {
        long now = System.nanoTime();
        if (!shown || (printed && sent < total && now - lastNanos < EVERY_NANOS)) {
            return;
        }
        lastNanos = now;
        printed = true;
        err.print("\r-----> Uploading " + label + ": " + line(sent, total) + "\u001b[K");
        err.flush();
    }

    /** Erases the progress line, so that the caller's final line takes its place. */
    synchronized void done() {
        if (printed) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    /** {@code 1.2 MB of 3.4 MB (35%)}. */
    static String line(long sent, long total) {
        long percent = total <= 0 ? 100 : Math.min(100, sent * 100 / total);
        return Sizes.human(sent) + " of " + Sizes.human(total) + " (" + percent + "%)";
    }

    /** {@code body}, telling {@code sent} the running count of bytes handed to the connection. */
    static HttpRequest.BodyPublisher counted(HttpRequest.BodyPublisher body, LongConsumer sent) {
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return body.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                body.subscribe(new Flow.Subscriber<ByteBuffer>() {
                    private long count;

                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        count += item.remaining();
                        sent.accept(count);
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }
}
