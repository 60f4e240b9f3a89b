package dev.slipway.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Says that a long step is still going when it prints nothing for a while: on a terminal a status
 * line {@code -----> Building the stack image (2m10s)…} rewritten in place every second after
 * {@link #TTY_QUIET} of silence (and wiped before the step's next line); elsewhere (a pipe, a file)
 * a line every {@link #PLAIN_QUIET} of silence.
 */
final class SilenceProgress implements AutoCloseable, Consumer<String> {
    static final Duration TTY_QUIET = Duration.ofSeconds(5);
    static final Duration PLAIN_QUIET = Duration.ofSeconds(30);

    private final Consumer<String> say;
    private final PrintStream tty;
    private final String what;
    private final LongSupplier nanoTime;
    private final long start;
    private long lastOutput;
    private int statusWidth;
    private ScheduledExecutorService ticker;

    /**
     * @param say      where the step's lines (and, off a terminal, the progress lines) go
     * @param tty      the terminal the status line is drawn on; null when there is none
     * @param what     the step, e.g. "Building the stack image"
     * @param nanoTime the clock
     */
    SilenceProgress(Consumer<String> say, PrintStream tty, String what, LongSupplier nanoTime) {
        this.say = say;
        this.tty = tty;
        this.what = what;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        this.lastOutput = start;
    }

    /** Ticks every second on a daemon thread until closed; draws on System.out when it is a terminal. */
    static SilenceProgress started(Consumer<String> say, String what) {
        SilenceProgress progress = new SilenceProgress(say, System.console() != null ? System.out : null, what,
                System::nanoTime);
        progress.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "silence-progress");
            thread.setDaemon(true);
            return thread;
        });
        progress.ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
        return progress;
    }

    /** A line of the step: wipes the status line first. */
    @Override
    public synchronized void accept(String line) {
        wipe();
        say.accept(line);
        lastOutput = nanoTime.getAsLong();
    }

    /** Draws or says the progress line if the step has been silent long enough. */
    synchronized void tick() {
        long now = nanoTime.getAsLong();
        String line = what + " (" + elapsed(Duration.ofNanos(now - start)) + ")…";
        if (tty != null) {
            if (now - lastOutput >= TTY_QUIET.toNanos()) {
                String status = "-----> " + line;
                tty.print("\r" + status + " ".repeat(Math.max(0, statusWidth - status.length())));
                tty.flush();
                statusWidth = status.length();
            }
        } else if (now - lastOutput >= PLAIN_QUIET.toNanos()) {
            say.accept(line);
            lastOutput = now;
        }
    }

    /** {@code 45s}, {@code 2m10s}. */
    static String elapsed(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + "s" : (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    }

    private void wipe() {
        if (statusWidth > 0) {
            tty.print("\r" + " ".repeat(statusWidth) + "\r");
            tty.flush();
            statusWidth = 0;
        }
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        wipe();
    }
}
