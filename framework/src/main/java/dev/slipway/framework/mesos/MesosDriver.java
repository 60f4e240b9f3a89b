package dev.slipway.framework.mesos;

import java.time.Duration;
import java.util.List;

/**
 * The only Mesos I/O of the scheduler: calls out, events in ({@link Listener}). Implementations
 * speak the v1 scheduler HTTP API; the core never sees protobufs or HTTP.
 */
public interface MesosDriver extends AutoCloseable {
    /** Connects and keeps the subscription alive (re-subscribing on failure) until closed. */
    void start(Listener listener);

    void accept(String offerId, String agentId, List<Launch> launches);

    void decline(List<String> offerIds, double refuseSeconds);

    /**
     * Kills a task: SIGTERM, then SIGKILL once {@code grace} has passed. The grace overrides the one
     * the task was launched with; null keeps that one.
     */
    void kill(String taskId, String agentId, Duration grace);

    void acknowledge(String agentId, String taskId, byte[] uuid);

    /** Explicit reconciliation of these tasks; an empty list asks for implicit reconciliation. */
    void reconcile(List<TaskRef> tasks);

    /** Sends {@code data} to an executor of the framework (MESSAGE); delivery is best effort. */
    void message(String agentId, String executorId, byte[] data);

    /** Asks for offers again, clearing decline filters and ending a suppression. */
    void revive();

    /** Asks the master to send no offers until {@link #revive()}. */
    void suppress();

    @Override
    void close();

    /** A task Mesos may know of. */
    record TaskRef(String taskId, String agentId) {
    }

    /** Events from Mesos, delivered one at a time on the driver's thread. */
    interface Listener {
        void subscribed(String frameworkId);

        void offers(List<Offer> offers);

        void rescinded(String offerId);

        void update(TaskUpdate update);

        /** The master refused the framework (bad credentials, failed over elsewhere...); the driver has stopped. */
        void error(String message);

        /**
         * The master removed framework {@code frameworkId} (a TEARDOWN or a failover timeout): its
         * tasks are gone and it cannot come back. The driver registers as a new framework next, and
         * reports {@link #subscribed} with the new id.
         */
        void removed(String frameworkId, String message);

        void disconnected(String why);
    }
}
