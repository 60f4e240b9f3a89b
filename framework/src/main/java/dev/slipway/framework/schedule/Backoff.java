package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.Slot;
import dev.slipway.zk.CrashBackoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Crash backoff per slot, as Marathon's launch delay ({@code backoffSeconds} 1, {@code backoffFactor}
 * 1.15, {@code maxLaunchDelaySeconds} 300): after the first crash a slot waits 1 s, after each
 * further one 1.15 times longer, up to 5 minutes. Marathon keys its delay by app and app version;
 * Slipway keys it by slot ({@code hello web.1}) and release, so a new release launches at once.
 *
 * <p>Becoming ready does not forgive the crashes at once: only an instance that stays ready for
 * {@link #HEALTHY_RESET} does. One that dies sooner (a few seconds after its first health pass, or
 * before any) is a crash like any other, so a loop of "up, routed, dead" backs off instead of
 * restarting every few seconds forever (issue 12: a replacement that passed its boot check against
 * an orphan's port died with EADDRINUSE a moment later, and was replaced every 6 s).
 *
 * <p>Pure functions of a slot's last record ({@link CrashBackoff}, null for none) and the time: each
 * change returns the next record, which the core keeps in its model and stores, so that a
 * restarted framework still waits.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final double FACTOR = 1.15;
    static final Duration MAX = Duration.ofMinutes(5);
    /** How long an instance must stay ready before its slot's earlier crashes are forgotten. */
    static final Duration HEALTHY_RESET = Duration.ofMinutes(5);

    private Backoff() {
    }

    /**
     * The slot's instance of {@code release} ended unasked ({@code exit} says how): the next launch
     * of that release waits 1.15 times longer than the last, or 1 s when it is the first crash, a
     * new release, or the instance before had stayed ready for {@link #HEALTHY_RESET}. The crash of
     * an older release's instance (the one a rolling deploy still keeps) leaves a newer release's
     * count as it is, and {@code previous} is returned unchanged.
     */
    static CrashBackoff failed(CrashBackoff previous, Slot slot, int release, String exit, Instant now) {
        if (previous != null && release < previous.release()) {
            return previous;
        }
        boolean fresh = previous == null || previous.release() != release || healed(previous, now);
        int crashes = fresh ? 1 : previous.crashes() + 1;
        return new CrashBackoff(slot.process(), slot.index(), release, crashes, now.plus(delay(crashes)), null, exit);
    }

    /**
     * The slot's instance of {@code release} became ready (healthy, or running for a process without
     * a health check): the crashes of that release count until it has stayed ready for
     * {@link #HEALTHY_RESET}. Returns the next record when this changed it.
     */
    static Optional<CrashBackoff> ready(CrashBackoff previous, int release, Instant now) {
        if (previous == null || previous.readySince() != null || previous.release() != release) {
            return Optional.empty();
        }
        return Optional.of(new CrashBackoff(previous.process(), previous.index(), previous.release(),
                previous.crashes(), previous.notBefore(), now, previous.lastExit()));
    }

    /** Whether the slot's instance has been ready for {@link #HEALTHY_RESET}: its crashes are forgotten. */
    static boolean healed(CrashBackoff backoff, Instant now) {
        return backoff.readySince() != null && !backoff.readySince().plus(HEALTHY_RESET).isAfter(now);
    }

    /** Whether the slot may launch {@code release} now: always for a release other than the one that crashed. */
    static boolean mayLaunch(CrashBackoff backoff, int release, Instant now) {
        return backoff == null || backoff.release() != release || !now.isBefore(backoff.notBefore());
    }

    /** How long the slot waits before its next launch of the release that crashed, zero when it may launch at once. */
    static Duration wait(CrashBackoff backoff, Instant now) {
        return backoff == null || !now.isBefore(backoff.notBefore()) ? Duration.ZERO
                : Duration.between(now, backoff.notBefore());
    }

    /** The wait after {@code crashes} crashes in a row: 1 s × 1.15^(crashes − 1), at most {@link #MAX}. */
    static Duration delay(int crashes) {
        double millis = FIRST.toMillis() * Math.pow(FACTOR, Math.max(0, crashes - 1));
        return millis >= MAX.toMillis() ? MAX : Duration.ofMillis(Math.round(millis));
    }
}
