package dev.slipway.executor.logs;

import dev.slipway.executor.process.ExitStatus;
import dev.slipway.executor.process.Instance;
import dev.slipway.executor.process.ListenerOwnership;
import dev.slipway.executor.process.ProcessRunner;
import dev.slipway.executor.process.RunningProcess;
import dev.slipway.executor.task.TaskSpec;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The executor's end of Heroku-style logs: takes the app's formatted log lines (as the
 * {@code shipped} consumer of {@link dev.slipway.executor.process.AppOutput#console}) and, once the
 * task's {@link TaskSpec#logUrl()} is known, hands them to a {@link LogShipper}. A task without a
 * {@code log_url} ships nothing. Safe for any thread; {@link #accept} never blocks on I/O.
 */
public final class LogShipping implements Consumer<String> {
    private final LogShipper.Settings settings;
    private final Clock clock;
    private volatile LogShipper shipper;
    private boolean closed;

    public LogShipping(LogShipper.Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * {@code runner}, starting the shipping of each instance's lines before it starts the instance,
     * and shipping what is queued (for {@link #FLUSH_AT_EXIT} at most) once its process has ended,
     * before its exit is told: the task's end is reported after its last lines reached the framework,
     * so that whoever streams a one-off's output until it ends loses none of them.
     */
    public ProcessRunner around(ProcessRunner runner) {
        return new ProcessRunner() {
            @Override
            public RunningProcess start(Instance instance) throws IOException {
                startFor(instance.spec());
                return shippedAtExit(runner.start(instance));
            }

            @Override
            public List<String> removeOrphans(Set<String> liveTaskIds, Instant launchedBefore) throws IOException {
                return runner.removeOrphans(liveTaskIds, launchedBefore);
            }
        };
    }

    @Override
    public void accept(String line) {
        LogShipper current = shipper;
        if (current != null) {
            current.offer(line);
        }
    }

    /** Ships what is queued, for at most {@code within}, and stops shipping. */
    public void close(Duration within) {
        LogShipper current;
        synchronized (this) {
            closed = true;
            current = shipper;
        }
        if (current != null) {
            current.close(within);
        }
    }

    /** The longest the end of a process waits for its last lines to be shipped. */
    public static final Duration FLUSH_AT_EXIT = Duration.ofSeconds(3);

    private RunningProcess shippedAtExit(RunningProcess process) {
        CompletableFuture<ExitStatus> exit = process.onExit().thenApplyAsync(status -> {
            // One executor runs one task: once its process has ended, nothing more is shipped.
            close(FLUSH_AT_EXIT);
            return status;
        });
        return new RunningProcess() {
            @Override
            public String name() {
                return process.name();
            }

            @Override
            public CompletableFuture<ExitStatus> onExit() {
                return exit;
            }

            @Override
            public void terminate(Duration grace) {
                process.terminate(grace);
            }

            @Override
            public void kill() {
                process.kill();
            }

            @Override
            public ExitStatus exec(String command, Duration timeout)
                    throws IOException, TimeoutException, InterruptedException {
                return process.exec(command, timeout);
            }

            @Override
            public ListenerOwnership.Holder listenerOn(int port) {
                return process.listenerOn(port);
            }
        };
    }

    /** One executor runs one task: the first spec that names a log URL decides where lines go. */
    private synchronized void startFor(TaskSpec spec) {
        if (spec.logUrl() != null && shipper == null && !closed) {
            shipper = LogShipper.start(URI.create(spec.logUrl()), spec.logToken(), settings, clock);
        }
    }
}
