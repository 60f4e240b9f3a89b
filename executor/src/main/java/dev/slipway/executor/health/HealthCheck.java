package dev.slipway.executor.health;

import dev.slipway.executor.task.HealthSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one instance's probe results mean, as a pure function
 * {@code (check, result, now) -> (check, verdict)}: no I/O, no clock of its own, so that every rule
 * is tested without waiting.
 *
 * <p>The rules: until the first pass (stage {@link Stage#BOOTING}) probes come quickly and failures
 * count for nothing, but the first pass must come before the deadline (the boot timeout for an
 * instance with a port, Heroku's R10; the grace period otherwise). After it (stage
 * {@link Stage#UP}) one probe comes every interval; a pass forgets earlier failures, and
 * {@code maxConsecutiveFailures} failures in a row end it. Either ending is final
 * ({@link Stage#OVER}).
 *
 * @param deadline until when the first pass may come (stage BOOTING only)
 * @param failures consecutive failures since the last pass (stage UP only)
 */
public record HealthCheck(Rules rules, Stage stage, Instant deadline, int failures) {
    /**
     * Between two probes before the first pass: TCP and HTTP probes are cheap, and each tick of
     * waiting is time a deploy waits after the app is ready (half of it on average).
     */
    static final Duration BOOT_CADENCE = Duration.ofMillis(100);
    /** The same for a command, which starts a process (in the container): once a second. */
    static final Duration COMMAND_BOOT_CADENCE = Duration.ofSeconds(1);
    /** The shortest a probe is given, even at its deadline. */
    static final Duration MIN_PROBE_TIMEOUT = Duration.ofMillis(100);

    public enum Stage { BOOTING, UP, OVER }

    /**
     * The timing of a check.
     *
     * @param firstPassWithin        the deadline of the first pass, from the start
     * @param bootCadence            between two probes before the first pass
     * @param interval               between two probes after it
     * @param timeout                the most one probe may take
     * @param maxConsecutiveFailures failures in a row, after the first pass, that end the instance
     * @param port                   the instance's port, 0 when it has none: a web instance that never
     *                               listened fails with Heroku's R10 message
     */
    public record Rules(Duration firstPassWithin, Duration bootCadence, Duration interval, Duration timeout,
                        int maxConsecutiveFailures, int port) {
        public Rules {
            requirePositive(firstPassWithin, "firstPassWithin");
            requirePositive(bootCadence, "bootCadence");
            requirePositive(interval, "interval");
            requirePositive(timeout, "timeout");
            if (maxConsecutiveFailures <= 0) {
                throw new IllegalArgumentException("maxConsecutiveFailures must be positive");
            }
        }

        /** The rules of {@code health} for an instance on {@code port} (0: none). */
        public static Rules of(HealthSpec health, int port) {
            Duration cadence = health.type() == HealthSpec.Type.COMMAND ? COMMAND_BOOT_CADENCE : BOOT_CADENCE;
            return new Rules(port > 0 ? health.bootTimeout() : health.gracePeriod(),
                    cadence.compareTo(health.interval()) < 0 ? cadence : health.interval(), health.interval(),
                    health.timeout(), health.maxConsecutiveFailures(), port);
        }

        private static void requirePositive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + duration);
            }
        }
    }

    /** What a probe result means. */
    public sealed interface Verdict {
        /** Nothing to report; probe again in {@code in}. */
        record ProbeAgain(Duration in) implements Verdict {
        }

        /** The first pass: report the instance healthy, and probe again in {@code in}. */
        record Healthy(String detail, Duration in) implements Verdict {
        }

        /** No pass before the deadline: the instance fails with {@code reason}. Final. */
        record BootTimedOut(String reason) implements Verdict {
        }

        /** Too many failures in a row after the first pass: the instance fails with {@code reason}. Final. */
        record Unhealthy(String reason) implements Verdict {
        }
    }

    /** The next state of the check and what the result means. */
    public record Step(HealthCheck next, Verdict verdict) {
    }

    public HealthCheck {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(stage, "stage");
    }

    /** A check that starts {@code now}, waiting for its first pass. */
    public static HealthCheck start(Rules rules, Instant now) {
        return new HealthCheck(rules, Stage.BOOTING, now.plus(rules.firstPassWithin()), 0);
    }

    /**
     * How long the probe that starts {@code now} may take: the rules' timeout, but before the first
     * pass no longer than what is left until the deadline.
     */
    public Duration probeTimeout(Instant now) {
        if (stage != Stage.BOOTING) {
            return rules.timeout();
        }
        Duration left = Duration.between(now, deadline);
        Duration bounded = left.compareTo(rules.timeout()) < 0 ? left : rules.timeout();
        return bounded.compareTo(MIN_PROBE_TIMEOUT) < 0 ? MIN_PROBE_TIMEOUT : bounded;
    }

    /**
     * What {@code result}, of a probe that ended {@code now}, means.
     *
     * @throws IllegalStateException when the check is over already
     */
    public Step after(ProbeResult result, Instant now) {
        return switch (stage) {
            case BOOTING -> booting(result, now);
            case UP -> up(result);
            case OVER -> throw new IllegalStateException("the health check is over");
        };
    }

    private Step booting(ProbeResult result, Instant now) {
        if (result.passed()) {
            return new Step(new HealthCheck(rules, Stage.UP, null, 0),
                    new Verdict.Healthy(result.description(), rules.interval()));
        }
        if (now.isBefore(deadline)) {
            return new Step(this, new Verdict.ProbeAgain(rules.bootCadence()));
        }
        return new Step(over(), new Verdict.BootTimedOut(bootFailure(result)));
    }

    private Step up(ProbeResult result) {
        if (result.passed()) {
            return new Step(new HealthCheck(rules, Stage.UP, null, 0), new Verdict.ProbeAgain(rules.interval()));
        }
        int failed = failures + 1;
        if (failed < rules.maxConsecutiveFailures()) {
            return new Step(new HealthCheck(rules, Stage.UP, null, failed), new Verdict.ProbeAgain(rules.interval()));
        }
        return new Step(over(), new Verdict.Unhealthy("health check failed " + failed
                + (failed == 1 ? " time: " : " times: ") + result.description()));
    }

    /**
     * Heroku's R10 message for an instance with a port that never listened on it; otherwise what the
     * last probe found.
     */
    private String bootFailure(ProbeResult last) {
        String within = ProbeResult.format(rules.firstPassWithin());
        if (rules.port() > 0 && last.outcome() == ProbeResult.Outcome.NOT_LISTENING) {
            return "web process failed to bind to " + rules.port() + " within " + within;
        }
        return "health check did not pass within " + within + ": " + last.description();
    }

    private HealthCheck over() {
        return new HealthCheck(rules, Stage.OVER, null, failures);
    }
}
