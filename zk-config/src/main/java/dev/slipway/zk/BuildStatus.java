package dev.slipway.zk;

/** Where a build is: running, or how it ended. */
public enum BuildStatus {
    PENDING, SUCCEEDED, FAILED
}
