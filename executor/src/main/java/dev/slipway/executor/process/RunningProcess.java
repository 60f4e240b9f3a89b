package dev.slipway.executor.process;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

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

    /**
     * Runs {@code command} beside the app, as the app's own command runs: through
     * {@link PlainProcessRunner#RUNNER_SCRIPT} ({@code .profile.d} sourced, then {@code bash -c}),
     * with the app's environment and working directory, and in the app's container when it has one.
     * Its output is discarded. Blocks until it ends; a health check's command.
     *
     * @throws TimeoutException     when it was still running after {@code timeout}; it has been killed
     * @throws IOException          when it could not be run (the container has stopped, say)
     * @throws InterruptedException when the calling thread was interrupted; it has been killed
     */
    ExitStatus exec(String command, Duration timeout) throws IOException, TimeoutException, InterruptedException;

    /**
     * Who holds the listener on {@code port} in the instance's network namespace: the instance's own
     * processes or another's (an orphan still on the port). For the boot check, so that an instance
     * is never taken for up because someone else answers on its port. Blocks briefly (reads /proc).
     * By default it cannot be told, and the check is skipped.
     */
    default ListenerOwnership.Holder listenerOn(int port) {
        return new ListenerOwnership.Holder.Unknown("this runner cannot tell");
    }
}
