package dev.slipway.executor.process;

/**
 * How an app process ended, as its exit code. Like a shell (and Docker), a process killed by
 * signal N is reported as code 128 + N, so an app that itself exits with such a code reads as
 * killed by that signal.
 *
 * @param code             the exit code
 * @param outOfMemory      whether the kernel's OOM killer ended a process of the instance (known
 *                         for containers only: Docker's {@code State.OOMKilled})
 * @param memoryLimitBytes the memory limit the instance ran with; 0 when none or unknown
 */
public record ExitStatus(int code, boolean outOfMemory, long memoryLimitBytes) {
    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;
    private static final long MB = 1024 * 1024;

    public ExitStatus {
        if (memoryLimitBytes < 0) {
            throw new IllegalArgumentException("memoryLimitBytes must not be negative, not " + memoryLimitBytes);
        }
    }

    public ExitStatus(int code) {
        this(code, false, 0);
    }

    /** An instance whose process the OOM killer ended, under a limit of {@code memoryLimitBytes} (0: unknown). */
    public static ExitStatus outOfMemory(int code, long memoryLimitBytes) {
        return new ExitStatus(code, true, memoryLimitBytes);
    }

    public boolean success() {
        return code == 0;
    }

    /** The signal that ended the process, or 0 when it exited by itself. */
    public int signal() {
        return code > SIGNAL_BASE && code <= SIGNAL_BASE + MAX_SIGNAL ? code - SIGNAL_BASE : 0;
    }

    /**
     * {@code exited with code N} or {@code killed by signal N}; for an OOM kill
     * {@code exited 137: out of memory (limit 512 MB)}. This is the TaskStatus message of an
     * instance that ended.
     */
    public String describe() {
        if (outOfMemory) {
            String limit = memoryLimitBytes > 0 ? " (limit " + Math.round((double) memoryLimitBytes / MB) + " MB)" : "";
            return "exited " + code + ": out of memory" + limit;
        }
        return signal() > 0 ? "killed by signal " + signal() : "exited with code " + code;
    }
}
