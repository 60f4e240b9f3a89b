package dev.slipway.executor.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a process's output stream line by line to a consumer on its own daemon thread. Lines
 * longer than {@link #MAX_LINE_CHARS} are cut into pieces so that output without newlines cannot
 * exhaust the executor's small heap.
 */
final class LinePump {
    static final int MAX_LINE_CHARS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(LinePump.class);

    private LinePump() {
    }

    static Thread start(String threadName, InputStream in, Consumer<String> sink) {
        Thread thread = new Thread(() -> pump(in, sink), threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void pump(InputStream in, Consumer<String> sink) {
        StringBuilder line = new StringBuilder();
        char[] buffer = new char[4096];
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        emit(line, sink);
                    } else {
                        line.append(c);
                        if (line.length() >= MAX_LINE_CHARS) {
                            emit(line, sink);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The pipe breaks when the process is killed; what was read is still delivered below.
            LOG.debug("output stream closed: {}", e.getMessage());
        }
        if (line.length() > 0) {
            emit(line, sink);
        }
    }

    private static void emit(StringBuilder line, Consumer<String> sink) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        sink.accept(line.substring(0, end));
        line.setLength(0);
    }
}
