package dev.slipway.executor.task;

/** Where the executor's one task is in its life. */
public enum Phase {
    /** Subscribed (or subscribing); no LAUNCH yet. */
    AWAITING_LAUNCH,
    /** TASK_STARTING sent; the process is being started. */
    STARTING,
    /** The process runs; when it has a health check, the check has not passed yet. */
    RUNNING,
    /** The process runs and its health check has passed (and not failed too often since). */
    HEALTHY,
    /** The process was asked to stop; waiting for it to end. */
    KILLING,
    /** The terminal update was sent. */
    TERMINATED
}
