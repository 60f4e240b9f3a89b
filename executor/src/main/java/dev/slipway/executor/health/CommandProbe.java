package dev.slipway.executor.health;

import dev.slipway.executor.process.ExitStatus;
import dev.slipway.executor.process.RunningProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/** A command run beside the app, as the app runs ({@link RunningProcess#exec}); exit 0 passes. */
final class CommandProbe implements Probe {
    private final RunningProcess process;
    private final String command;

    CommandProbe(RunningProcess process, String command) {
        this.process = Objects.requireNonNull(process, "process");
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("a command health check needs a command");
        }
        this.command = command;
    }

    @Override
    public ProbeResult check(Duration timeout) {
        try {
            ExitStatus status = process.exec(command, timeout);
            if (status.success()) {
                return ProbeResult.passed("command exited 0");
            }
            return ProbeResult.failed(status.signal() > 0 ? "command killed by signal " + status.signal()
                    : "command exited " + status.code());
        } catch (TimeoutException e) {
            return ProbeResult.timedOut("command", timeout);
        } catch (IOException e) {
            return ProbeResult.failed("command could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.failed("command interrupted");
        }
    }
}
