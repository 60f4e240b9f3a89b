package dev.slipway.framework.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output of one running build: each line is appended to the build's log file (UTF-8, one
 * line per {@code \n}) as it comes, and watchers are told how far the file has grown. The file
 * is the one copy of the output: a watcher reads the bytes it was told about from it, at its own
 * pace. Safe for any thread.
 */
public final class BuildLog {
    private static final Logger LOG = LoggerFactory.getLogger(BuildLog.class);

    /**
     * Told that the log file now holds {@code size} bytes of whole lines, and whether the build
     * has ended (then nothing more comes). Called on the build's threads, possibly holding this
     * log's lock: it must hand the news on and return, never block.
     */
    @FunctionalInterface
    public interface Watcher {
        void grew(long size, boolean finished);
    }

    /** How much of the log is written, and whether that is all. */
    public record Position(long size, boolean finished) {
    }

    private final Path file;
    private final OutputStream out;
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private long size;
    private boolean finished;
    private boolean broken;

    private BuildLog(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Starts a new, empty log at {@code file} (creating its directory). */
    static BuildLog create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return new BuildLog(file, Files.newOutputStream(file));
    }

    public Path file() {
        return file;
    }

    /** Appends one line of output. Never throws: a log that cannot be written must not fail the build. */
    public synchronized void append(String line) {
        if (finished) {
            return;
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (!broken) {
            try {
                out.write(bytes);
                out.flush();
                size += bytes.length;
            } catch (IOException e) {
                broken = true;
                LOG.warn("cannot write build output to {}; the rest of it is lost: {}", file, e.getMessage());
            }
        }
        notifyWatchers();
    }

    /** Ends the log: watchers are told for the last time. */
    synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("cannot close build output {}: {}", file, e.getMessage());
        }
        notifyWatchers();
        watchers.clear();
    }

    /**
     * Starts telling {@code watcher} of the log's growth, and returns how far it is now: the
     * watcher reads up to there itself and waits to be told of the rest. A finished log takes no
     * watcher.
     */
    public synchronized Position watch(Watcher watcher) {
        if (!finished) {
            watchers.add(watcher);
        }
        return new Position(size, finished);
    }

    /** Stops telling {@code watcher}; for a client that went away. */
    public void unwatch(Watcher watcher) {
        watchers.remove(watcher);
    }

    /** How many watch the log now. */
    public int watchers() {
        return watchers.size();
    }

    private void notifyWatchers() {
        for (Watcher watcher : watchers) {
            watcher.grew(size, finished);
        }
    }
}
