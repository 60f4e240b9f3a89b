package dev.slipway.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Follows a log file that another process writes, handing each new whole line to a consumer (as
 * {@code tail -F} does): how {@code slipway up} shows the output of a router it started or took
 * back. A file that shrinks was started again, and is read from its beginning.
 */
final class LogTail implements AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final Path file;
    private final Consumer<String> lines;
    private final Thread thread;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long offset;
    private volatile boolean closed;

    private LogTail(Path file, long offset, Consumer<String> lines) {
        this.file = file;
        this.offset = offset;
        this.lines = lines;
        this.thread = new Thread(this::follow, "slipway-log-tail " + file.getFileName());
        thread.setDaemon(true);
    }

    /** Follows {@code file} from its beginning, or from its current end with {@code fromEnd}. */
    static LogTail follow(Path file, boolean fromEnd, Consumer<String> lines) {
        long start = 0;
        try {
            start = fromEnd && Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            // Read it from the beginning then.
        }
        LogTail tail = new LogTail(file, start, lines);
        tail.thread.start();
        return tail;
    }

    private void follow() {
        while (!closed) {
            readNew();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void readNew() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < offset) {
                offset = 0;
                partial.reset();
            }
            int read;
            while ((read = channel.read(buffer.clear(), offset)) > 0) {
                offset += read;
                for (int i = 0; i < read; i++) {
                    byte b = buffer.get(i);
                    if (b == '\n') {
                        lines.accept(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // Not there yet, or gone: the next poll tries again.
        }
    }

    /** Stops following, after handing over what was written up to now. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readNew();
    }
}
