package dev.slipway.executor.task;

/** Where the executor's one task is in its life. */
public enum Phase {
    /** Subscribed (or subscribing); no LAUNCH yet. */
    AWAITING_LAUNCH,
    /** TASK_STARTING sent; the process is being started. */
    STARTING,
    /** The process runs; for a {@code tcp} health check, its port does not answer yet. */
    RUNNING,
    /** The process runs and its port answers. */
    HEALTHY,
    /** The process was asked to stop; waiting for it to end. */
    KILLING,
    /** The terminal update was sent. */
    TERMINATED
}
