package dev.slipway.executor.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** An app process started by a {@link ProcessRunner}. Every method is safe to call from any thread. */
public interface RunningProcess {
    /** What identifies the process in log lines: {@code pid 1234}, a container id. */
    String name();

    /** Completes once, when the app's main process has ended. */
    CompletableFuture<ExitStatus> onExit();

    /**
     * Asks the process and everything it started to stop (SIGTERM), and forces them (SIGKILL) if
     * they are still there after {@code grace}. Returns at once. Calling it again signals again and
     * may bring the forced stop forward, never back.
     */
    void terminate(Duration grace);

    /** Forces whatever is left of the process and its descendants to stop, now (SIGKILL). */
    void kill();
}
