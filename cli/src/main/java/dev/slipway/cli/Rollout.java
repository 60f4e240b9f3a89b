package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Waiting for a release's rollout, as {@code config:set}, {@code config:unset} and
 * {@code rollback} do (and {@code deploy}): its deployment followed to its end
 * ({@link DeploymentProgress}), a {@link CliError} with the reason when it fails or is rolled back.
 */
final class Rollout {
    private Rollout() {
    }

    /** Follows the deployment of {@code release} (an API release body) unless {@code waitSeconds} is 0. */
    static void waitForRelease(ApiClient client, String app, JsonNode release, int waitSeconds)
            throws InterruptedException {
        if (waitSeconds > 0) {
            DeploymentProgress.follow(client, app, release.path("version").asInt(), waitSeconds);
        }
    }
}
