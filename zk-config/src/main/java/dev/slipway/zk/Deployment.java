package dev.slipway.zk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One change of an app's release as the scheduler carries it out: from the release the app had
 * to {@code to}, with its progress ({@code 2/3 web up}), its state, why it ended as it did, and
 * the steps it went through. Its id is the release it deploys: every release is deployed once.
 * Written by the leader's scheduler only, in the same ZooKeeper multi as the instances it
 * decides on, so that a new leader carries on with it.
 *
 * @param from      the app's release before this one, 0 for the first
 * @param fallback  the release that last became healthy when this deployment began (0: none):
 *                  what an automatic rollback returns to, and the app's running release until
 *                  this deployment succeeds
 * @param automatic true for the automatic rollback of a failed deployment, which is not rolled back again
 * @param timeoutSeconds how long it may take to become healthy before it is rolled back
 * @param watchUntil after it succeeded, until when a crash loop or a failed health check of its
 *                  instances still rolls it back; null before it succeeded
 */
public record Deployment(int id, String app, int from, int to, int fallback, DeploymentState state, String progress,
                         String reason, boolean automatic, int timeoutSeconds, Instant createdAt, Instant updatedAt,
                         Instant finishedAt, Instant watchUntil, List<Step> steps) {
    public static final int MAX_STEPS = 30;
    public static final int MAX_REASON_LENGTH = 2000;

    /** One thing that happened to the deployment, at a time. */
    public record Step(Instant at, String message) {
        public Step {
            Objects.requireNonNull(at, "at");
            message = message == null ? "" : cut(message, 300);
        }
    }

    public Deployment {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(state, "state");
        if (id < 1 || to != id) {
            throw new IllegalArgumentException("a deployment is numbered as the release it deploys, not " + id);
        }
        progress = progress == null ? "" : progress;
        reason = reason == null ? "" : cut(reason, MAX_REASON_LENGTH);
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        steps = steps == null ? List.of() : List.copyOf(steps.size() > MAX_STEPS
                ? steps.subList(steps.size() - MAX_STEPS, steps.size()) : steps);
    }

    /** A deployment of release {@code to} that begins at {@code now}. */
    public static Deployment begin(String app, int from, int to, int fallback, boolean automatic, String reason,
                                   int timeoutSeconds, Instant now) {
        String what = automatic ? reason : "deploying v" + to + (from == 0 ? "" : " over v" + from);
        return new Deployment(to, app, from, to, fallback, DeploymentState.PENDING, "", automatic ? reason : "",
                automatic, timeoutSeconds, now, now, null, null, List.of(new Step(now, what)));
    }

    /** The deployment in {@code next} state with {@code progress}, noting a step when either changed. */
    public Deployment advanced(DeploymentState next, String newProgress, Instant now) {
        if (next == state && newProgress.equals(progress)) {
            return this;
        }
        String line = next == state ? newProgress : next.word() + (newProgress.isEmpty() ? "" : ": " + newProgress);
        return new Deployment(id, app, from, to, fallback, next, newProgress, reason, automatic, timeoutSeconds,
                createdAt, now, next.done() ? now : finishedAt, watchUntil, plus(new Step(now, line)));
    }

    /** The deployment succeeded at {@code now}; watched until {@code watchUntil}. */
    public Deployment succeeded(String newProgress, Instant now, Instant watch) {
        return new Deployment(id, app, from, to, fallback, DeploymentState.SUCCEEDED, newProgress, reason, automatic,
                timeoutSeconds, createdAt, now, now, watch, plus(new Step(now, "succeeded: " + newProgress)));
    }

    /** The deployment ended in {@code end} (failed, rolled back, superseded) at {@code now}, for {@code why}. */
    public Deployment ended(DeploymentState end, String why, Instant now) {
        return new Deployment(id, app, from, to, fallback, end, progress, why, automatic, timeoutSeconds, createdAt,
                now, now, null, plus(new Step(now, end.word() + ": " + why)));
    }

    /** Whether it still changes: pending or in progress. */
    public boolean active() {
        return !state.done();
    }

    /** Whether it succeeded and is still watched at {@code now}. */
    public boolean watched(Instant now) {
        return state == DeploymentState.SUCCEEDED && watchUntil != null && now.isBefore(watchUntil);
    }

    /** The app's running release while this is its latest deployment: the last that became healthy. */
    public int running() {
        return state == DeploymentState.SUCCEEDED ? to : fallback;
    }

    private List<Step> plus(Step step) {
        List<Step> next = new ArrayList<>(steps);
        next.add(step);
        return next;
    }

    private static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max - 3) + "..." : text;
    }
}
