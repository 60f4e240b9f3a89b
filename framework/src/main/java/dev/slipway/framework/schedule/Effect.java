package dev.slipway.framework.schedule;

import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.MesosDriver.TaskRef;
import dev.slipway.zk.CrashBackoff;
import java.time.Duration;
import java.util.List;

/**
 * What the scheduler core asks to be done, as data; the {@link Scheduler} interprets them in order,
 * after the step's ZooKeeper write (see {@link Step}) has succeeded.
 */
sealed interface Effect {
    record Accept(String offerId, String agentId, List<Launch> launches) implements Effect {
        public Accept {
            launches = List.copyOf(launches);
        }
    }

    record Decline(List<String> offerIds, double refuseSeconds) implements Effect {
        public Decline {
            offerIds = List.copyOf(offerIds);
        }
    }

    /** Kills a task; {@code grace} null keeps the one it was launched with. */
    record Kill(String taskId, String agentId, Duration grace) implements Effect {
    }

    record Acknowledge(String agentId, String taskId, byte[] uuid) implements Effect {
    }

    /** Explicit reconciliation of these tasks; none asks for implicit reconciliation. */
    record Reconcile(List<TaskRef> tasks) implements Effect {
        public Reconcile {
            tasks = List.copyOf(tasks);
        }
    }

    record Revive() implements Effect {
    }

    record Suppress() implements Effect {
    }

    /** A message to an executor (the orphan sweep). */
    record Message(String agentId, String executorId, byte[] data) implements Effect {
    }

    /** A line in an app's log, as Heroku's router and dyno manager write them. */
    record Tell(String app, String dyno, String line) implements Effect {
    }

    record SaveCrash(String app, CrashBackoff backoff) implements Effect {
    }

    /** Keeps the app's newest deployments only (see {@code DeploymentStore#KEPT}). */
    record PruneDeployments(String app) implements Effect {
    }

    record ForgetCrash(String app, String slot) implements Effect {
    }

    record SaveFrameworkId(String frameworkId) implements Effect {
    }

    record ForgetFrameworkId() implements Effect {
    }
}
