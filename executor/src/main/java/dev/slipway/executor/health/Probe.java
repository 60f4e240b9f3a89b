package dev.slipway.executor.health;

import dev.slipway.executor.process.RunningProcess;
import dev.slipway.executor.task.HealthSpec;
import java.time.Duration;

/**
 * One check of an instance's health. Blocks the calling thread (a {@link HealthWatch}'s) for about
 * {@code timeout} at most, and never throws: whatever goes wrong is a failed result that says what.
 */
@FunctionalInterface
public interface Probe {
    ProbeResult check(Duration timeout);

    /**
     * The probe of {@code health}'s type for an instance on {@code port} (0: none) whose process is
     * {@code process} (a {@code command} check runs beside it). Port probes pass only once the
     * listener is known to be {@code process}'s own ({@link OwnedPortProbe}), when there is a process.
     *
     * @throws IllegalArgumentException for {@code none}, which has nothing to probe
     */
    static Probe of(HealthSpec health, int port, RunningProcess process) {
        return switch (health.type()) {
            case TCP -> owned(new TcpProbe(port), process, port);
            case HTTP -> owned(new HttpProbe(port, health.path()), process, port);
            case COMMAND -> new CommandProbe(process, health.command());
            case NONE -> throw new IllegalArgumentException("a health check of type none has nothing to probe");
        };
    }

    /** Without a process (a probe of some server, in tests) there is no instance to own the port. */
    private static Probe owned(Probe probe, RunningProcess process, int port) {
        return process == null ? probe : new OwnedPortProbe(probe, process, port);
    }
}
