package dev.slipway.executor.logs;

import dev.slipway.executor.process.Instance;
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

    /** {@code runner}, starting the shipping of each instance's lines before it starts the instance. */
    public ProcessRunner around(ProcessRunner runner) {
        return new ProcessRunner() {
            @Override
            public RunningProcess start(Instance instance) throws IOException {
                startFor(instance.spec());
                return runner.start(instance);
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

    /** One executor runs one task: the first spec that names a log URL decides where lines go. */
    private synchronized void startFor(TaskSpec spec) {
        if (spec.logUrl() != null && shipper == null && !closed) {
            shipper = LogShipper.start(URI.create(spec.logUrl()), spec.logToken(), settings, clock);
        }
    }
}
