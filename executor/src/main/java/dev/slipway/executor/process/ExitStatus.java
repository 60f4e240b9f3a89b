package dev.slipway.executor.process;

/**
 * How an app process ended, as its exit code. Like a shell (and Docker), a process killed by
 * signal N is reported as code 128 + N, so an app that itself exits with such a code reads as
 * killed by that signal.
 */
public record ExitStatus(int code) {
    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;

    public boolean success() {
        return code == 0;
    }

    /** The signal that ended the process, or 0 when it exited by itself. */
    public int signal() {
        return code > SIGNAL_BASE && code <= SIGNAL_BASE + MAX_SIGNAL ? code - SIGNAL_BASE : 0;
    }

    /** {@code exited with code N} or {@code killed by signal N}. */
    public String describe() {
        return signal() > 0 ? "killed by signal " + signal() : "exited with code " + code;
    }
}
