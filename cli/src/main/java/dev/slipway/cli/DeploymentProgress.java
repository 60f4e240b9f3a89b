package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Follows the deployment of a release ({@code GET /apps/{app}/deployments/{release}}) to its end,
 * printing its progress ({@code 2/3 web up}) as it changes: returns once it succeeded, throws a
 * {@link CliError} with its reason when it failed, was rolled back or superseded, or did not end
 * within the wait. {@code deploy} uses it; so may every verb that makes a release.
 */
final class DeploymentProgress {
    private static final Duration POLL = Duration.ofMillis(300);

    private DeploymentProgress() {
    }

    static void follow(ApiClient client, String app, int release, int waitSeconds) throws InterruptedException {
        follow(client, app, release, waitSeconds, System.out::println);
    }

    /** As {@link #follow(ApiClient, String, int, int)}, each line of progress handed to {@code say}. */
    static void follow(ApiClient client, String app, int release, int waitSeconds,
                       java.util.function.Consumer<String> say) throws InterruptedException {
        say.accept("-----> Deploying v" + release);
        Instant deadline = Instant.now().plusSeconds(waitSeconds);
        String shown = "";
        JsonNode deployment = null;
        while (Instant.now().isBefore(deadline)) {
            deployment = client.find("/apps/" + app + "/deployments/" + release);
            if (deployment != null) {
                String state = deployment.path("state").asText();
                String progress = deployment.path("progress").asText();
                String line = progress.isEmpty() ? state.replace('_', ' ') : progress;
                if (!line.equals(shown)) {
                    say.accept("       " + line);
                    shown = line;
                }
                switch (state) {
                    case "succeeded":
                        say.accept("-----> v" + release + " is running");
                        return;
                    case "failed", "rolled_back", "superseded":
                        throw new CliError("the deployment of v" + release + " " + state.replace('_', ' ') + ": "
                                + deployment.path("reason").asText("no reason given")
                                + " (`slipway deployments -a " + app + "`)");
                    default:
                        break;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new CliError("the deployment of v" + release + " has not ended after " + waitSeconds + " s"
                + (deployment == null ? "" : " (" + deployment.path("progress").asText() + ")")
                + "; it goes on, and is rolled back on its own at its timeout: `slipway deployments -a " + app + "`");
    }
}
