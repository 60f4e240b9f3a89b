package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/** A build as the CLI follows it: its output printed line by line as it comes, then its end. */
final class BuildStream {
    /** How long a build may run, as the framework allows it, plus a margin. */
    private static final Duration LONGEST_BUILD = Duration.ofMinutes(20);

    private BuildStream() {
    }

    /** Prints the build's output as it arrives and returns the build once it has ended. */
    static JsonNode follow(ApiClient client, String app, JsonNode build) throws InterruptedException {
        return follow(client, app, build, System.out::println, System.err::println);
    }

    /** As {@link #follow(ApiClient, String, JsonNode)}, the output handed to {@code out}, a broken stream to {@code err}. */
    static JsonNode follow(ApiClient client, String app, JsonNode build, java.util.function.Consumer<String> out,
                           java.util.function.Consumer<String> err) throws InterruptedException {
        String id = build.path("id").asText();
        String url = build.path("output_stream_url").asText("");
        try {
            client.lines(url.isEmpty() ? outputPath(app, id) : url, out);
        } catch (CliError e) {
            err.accept(" !     " + e.getMessage() + "; waiting for the build to end");
        }
        return ended(client, app, id);
    }

    /** Prints a build's output, all of it if it has ended, else as it comes until it ends. */
    static void print(ApiClient client, String app, String id) {
        client.lines(outputPath(app, id), System.out::println);
    }

    /**
     * The build once it is no longer pending. The output stream ends with the build, so this is
     * normally one call; polling is for a stream that broke off.
     */
    private static JsonNode ended(ApiClient client, String app, String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(LONGEST_BUILD);
        JsonNode build = client.get("/apps/" + app + "/builds/" + id);
        while (build.path("status").asText().equals("pending")) {
            if (Instant.now().isAfter(deadline)) {
                throw new CliError("build " + shortId(id) + " is still pending after " + LONGEST_BUILD.toMinutes()
                        + " minutes; see `slipway builds -a " + app + "`");
            }
            Thread.sleep(1000);
            build = client.get("/apps/" + app + "/builds/" + id);
        }
        return build;
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    private static String outputPath(String app, String id) {
        return "/apps/" + app + "/builds/" + id + "/output";
    }
}
