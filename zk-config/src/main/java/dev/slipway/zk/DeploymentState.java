package dev.slipway.zk;

import java.util.Locale;

/** Where a deployment is: pending (nothing of its release launched yet), in progress, or how it ended. */
public enum DeploymentState {
    PENDING, IN_PROGRESS, SUCCEEDED, FAILED, SUPERSEDED, ROLLED_BACK;

    /** Whether the deployment ended. */
    public boolean done() {
        return this != PENDING && this != IN_PROGRESS;
    }

    /** As the API and the CLI show it: {@code rolled_back}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
