package dev.slipway.framework.schedule;

import dev.slipway.framework.mesos.MesosDriver.TaskRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reconciliation as docs/reconciliation.md of Mesos asks: at each subscription, ask about every
 * task the framework believes live (explicit), and again, with a growing wait, about those not
 * answered yet; once every one is answered, ask the master for all it knows (implicit), and so
 * again every {@link #IMPLICIT_INTERVAL}. Immutable.
 *
 * @param pending     the tasks not answered since the explicit reconciliation began, by task id (agent ids)
 * @param attempts    how many explicit requests were sent for them
 * @param nextRetry   when the pending ones are asked about again
 * @param lastImplicit when implicit reconciliation was last asked for, EPOCH before the first
 */
record Reconciliation(Map<String, String> pending, int attempts, Instant nextRetry, Instant lastImplicit) {
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    static final Duration IMPLICIT_INTERVAL = Duration.ofMinutes(10);
    static final Reconciliation NONE = new Reconciliation(Map.of(), 0, Instant.EPOCH, Instant.EPOCH);

    Reconciliation {
        pending = Map.copyOf(pending);
    }

    /** Explicit reconciliation of {@code live} (task id to agent id) begins now. */
    static Reconciliation begin(Map<String, String> live, Instant now) {
        return new Reconciliation(live, 1, now.plus(FIRST_RETRY), Instant.EPOCH);
    }

    boolean answered() {
        return pending.isEmpty();
    }

    /** Mesos said something of {@code taskId}: it is no longer waited for. */
    Reconciliation heardOf(String taskId) {
        if (!pending.containsKey(taskId)) {
            return this;
        }
        Map<String, String> rest = new TreeMap<>(pending);
        rest.remove(taskId);
        return new Reconciliation(rest, attempts, nextRetry, lastImplicit);
    }

    boolean retryDue(Instant now) {
        return !pending.isEmpty() && !now.isBefore(nextRetry);
    }

    /** The pending tasks are asked about again: the next retry waits twice as long, up to {@link #MAX_RETRY}. */
    Reconciliation retried(Instant now) {
        long wait = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempts, 20));
        return new Reconciliation(pending, attempts + 1, now.plusMillis(wait), lastImplicit);
    }

    boolean implicitDue(Instant now) {
        return pending.isEmpty() && !lastImplicit.plus(IMPLICIT_INTERVAL).isAfter(now);
    }

    Reconciliation implicitAsked(Instant now) {
        return new Reconciliation(pending, attempts, nextRetry, now);
    }

    List<TaskRef> pendingRefs() {
        return new TreeMap<>(pending).entrySet().stream().map(e -> new TaskRef(e.getKey(), e.getValue())).toList();
    }
}
