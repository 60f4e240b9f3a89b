package dev.slipway.slug;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the steps of one build as processes on this machine, all within the build's time limit.
 * Output is read line by line as it comes and handed on from one reader thread per stream. On
 * timeout the step's whole process tree is killed and the build fails.
 */
final class HostProcess implements BuildSandbox.Session {
    /** How long to wait for the output of a killed step to end, should a grandchild escape. */
    private static final long DRAIN_MILLIS = 5_000;

    private final Map<String, String> environment;
    private final Duration limit;
    private final long deadlineNanos;

    /** @param deadline when the build's {@code limit} runs out, in {@link System#nanoTime()}'s terms */
    HostProcess(Map<String, String> environment, Duration limit, long deadline) {
        this.environment = Map.copyOf(environment);
        this.limit = limit;
        this.deadlineNanos = deadline;
    }

    @Override
    public String path(Path hostPath) {
        return hostPath.toString();
    }

    /** Kills the process tree of a step that runs out of time; nothing is left to end here. */
    @Override
    public void close() {
    }

    @Override
    public int run(List<String> command, Path workDir, Consumer<String> stdout, Consumer<String> stderr)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(stderr == null);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        Thread out = reader(process.getInputStream(), stdout, command);
        Thread err = stderr == null ? null : reader(process.getErrorStream(), stderr, command);
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0 || !process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
                killTree(process);
                drain(out, err);
                throw new BuildFailed("build timed out after " + limit.toSeconds() + " s");
            }
            drain(out, err);
            return process.exitValue();
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new BuildFailed("build interrupted", e);
        }
    }

    private static Thread reader(InputStream stream, Consumer<String> lines, List<String> command) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the output of " + command, e);
            }
        }, "build-output-" + Path.of(command.get(0)).getFileName());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for the readers, so that every line is handed on before the step returns. */
    private static void drain(Thread out, Thread err) throws InterruptedException {
        out.join(DRAIN_MILLIS);
        if (err != null) {
            err.join(DRAIN_MILLIS);
        }
    }

    /**
     * Kills the process and every descendant it has. The descendants are listed first: once the
     * process is gone, its children are re-parented and can no longer be found from it.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
