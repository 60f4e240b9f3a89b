package dev.slipway.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Bytes of one output stream, as they arrive in Docker's frames, to lines: a line may span frames
 * and a frame hold many. A line that grows past {@code maxLineBytes} is cut (between characters,
 * never inside one) so that output without newlines cannot exhaust a small heap.
 */
public final class FrameLines {
    private final Consumer<String> sink;
    private final int maxLineBytes;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public FrameLines(Consumer<String> sink, int maxLineBytes) {
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
    }

    public synchronized void accept(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                emit();
            } else {
                if (pending.size() >= maxLineBytes && !continuationByte(b)) {
                    emit();
                }
                pending.write(b);
            }
        }
    }

    /** Delivers what is left once the stream has ended. */
    public synchronized void flush() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }

    /** The second to fourth byte of a UTF-8 character: 10xxxxxx. */
    private static boolean continuationByte(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
