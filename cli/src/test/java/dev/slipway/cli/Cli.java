package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the slipway CLI in-process, as a user would type it, and keeps what it printed. */
final class Cli {
    /**
     * Where a running command's threads print: its stdout and stderr buffers. Inherited by the
     * threads the command starts; null on every other thread. The in-process platform logs to the
     * console from its own threads at any time, and those lines must not land in a command's
     * output (a log line inside {@code --json} output is not JSON).
     */
    private static final InheritableThreadLocal<OutputStream[]> SINKS = new InheritableThreadLocal<>();

    static {
        System.setOut(routed(System.out, 0));
        System.setErr(routed(System.err, 1));
    }

    private Cli() {
    }

    /** A stream that writes to the running command's buffer on its threads, to {@code console} elsewhere. */
    private static PrintStream routed(PrintStream console, int which) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                target().write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                target().write(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                target().flush();
            }

            private OutputStream target() {
                OutputStream[] sinks = SINKS.get();
                return sinks == null ? console : sinks[which];
            }
        }, true, StandardCharsets.UTF_8);
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A command running in the background, whose output can be read while it runs. */
    static final class Running {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private Thread thread;

        /** What it has printed on stdout so far. */
        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** What it has printed on stderr so far. */
        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** Interrupts it, as Ctrl-C would, and waits for it to end. */
        Result stop() throws Exception {
            thread.interrupt();
            return await();
        }

        Result await() throws Exception {
            return result.get(5, TimeUnit.MINUTES);
        }
    }

    static Result run(String api, String... args) {
        return run(api, new ByteArrayOutputStream(), new ByteArrayOutputStream(), args);
    }

    /** Runs the command with {@code input} on its stdin (a token piped into `slipway login`). */
    static synchronized Result runWithInput(String api, String input, String... args) {
        java.io.InputStream in = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return run(api, new ByteArrayOutputStream(), new ByteArrayOutputStream(), args);
        } finally {
            System.setIn(in);
        }
    }

    /** Runs the command, which must succeed (the failure shows its output), and returns what it printed. */
    static String ok(String api, String... args) {
        Result result = run(api, args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.out();
    }

    /** Starts the command on its own thread; the caller must run no other command until it ends. */
    static Running start(String api, String... args) {
        Running running = new Running();
        Thread thread = new Thread(() -> {
            try {
                running.result.complete(run(api, running.out, running.err, args));
            } catch (RuntimeException e) {
                running.result.completeExceptionally(e);
            }
        }, "cli " + String.join(" ", args));
        thread.setDaemon(true);
        running.thread = thread;
        thread.start();
        return running;
    }

    private static synchronized Result run(String api, ByteArrayOutputStream outBytes, ByteArrayOutputStream errBytes,
                                           String... args) {
        // Before a `--` (`run -- COMMAND`): what follows it is the command's.
        int end = java.util.Arrays.asList(args).indexOf("--");
        int at = end < 0 ? args.length : end;
        String[] withApi = new String[args.length + 2];
        System.arraycopy(args, 0, withApi, 0, at);
        withApi[at] = "--api";
        withApi[at + 1] = api;
        System.arraycopy(args, at, withApi, at + 2, args.length - at);
        OutputStream[] previous = SINKS.get();
        try {
            SINKS.set(new OutputStream[] {outBytes, errBytes});
            int code = Main.run(withApi);
            System.out.flush();
            System.err.flush();
            return new Result(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            SINKS.set(previous);
        }
    }
}
