package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Waiting for a release's rollout, as {@code deploy}, {@code config:set} and {@code rollback} do:
 * until a web instance of the release is up, or the time runs out (a {@link CliError} naming the
 * last crash seen).
 */
final class Rollout {
    private Rollout() {
    }

    /** Waits until a web instance of {@code version} is up; prints the progress on one line. */
    static void waitForWeb(ApiClient client, String app, int version, int waitSeconds) throws InterruptedException {
        System.out.print("-----> Waiting for web instances of v" + version + "... ");
        System.out.flush();
        Instant deadline = Instant.now().plusSeconds(waitSeconds);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            JsonNode dynos = client.get("/apps/" + app + "/dynos");
            boolean up = false;
            for (JsonNode d : dynos) {
                if (d.path("type").asText().equals("web") && d.path("release").asInt() == version) {
                    if (d.path("state").asText().equals("up")) {
                        up = true;
                    } else if (d.path("state").asText().equals("crashed")) {
                        last = d.path("name").asText() + " crashed: " + d.path("message").asText();
                    }
                }
            }
            if (up) {
                System.out.println("up");
                return;
            }
            Thread.sleep(Duration.ofMillis(300).toMillis());
        }
        System.out.println("not up yet");
        throw new CliError("no web instance of v" + version + " is up after " + waitSeconds + " s"
                + (last.isEmpty() ? "" : " (" + last + ")") + "; see `slipway ps -a " + app + "`");
    }

    /**
     * Waits for {@code release} (an API release body) unless {@code waitSeconds} is 0, it has no web
     * process type, or the app runs no web instance (its formation says 0).
     */
    static void waitForRelease(ApiClient client, String app, JsonNode release, int waitSeconds)
            throws InterruptedException {
        if (waitSeconds <= 0 || !release.path("process_types").has("web")) {
            return;
        }
        for (JsonNode row : client.get("/apps/" + app + "/formation")) {
            if (row.path("type").asText().equals("web") && row.path("quantity").asInt() == 0) {
                return;
            }
        }
        waitForWeb(client, app, release.path("version").asInt(), waitSeconds);
    }
}
