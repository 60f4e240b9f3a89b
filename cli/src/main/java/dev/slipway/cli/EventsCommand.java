package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code events}: the platform's events as they come (Marathon's event stream), one line each, until
 * Ctrl-C. When the stream breaks (a leader fails over, a proxy cuts it) it reconnects with the id of
 * the last event seen, so that nothing is shown twice and nothing is skipped without saying so.
 */
@Command(name = "events", description = "Print the platform's events as they come (apps created, builds, "
        + "releases, deployments, instance states), until Ctrl-C.")
final class EventsCommand implements Callable<Integer> {
    /** How long the API may stay unreachable before the command gives up. */
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    @Mixin
    ApiOptions api;
    @Option(names = {"-a", "--app"}, description = "only this app's events")
    String app;
    @Option(names = {"-t", "--type"}, split = ",", paramLabel = "TYPE", description = "only these types "
            + "(comma-separated: app.created, build.started, build.succeeded, build.failed, release.created, "
            + "deployment.progress, deployment.succeeded, deployment.failed, instance.state, instance.health)")
    java.util.List<String> types;
    @Option(names = "--json", description = "print each event as one line of JSON")
    boolean json;

    @Override
    public Integer call() {
        StringBuilder path = new StringBuilder("/events");
        char sep = '?';
        if (app != null) {
            path.append(sep).append("app=").append(URLEncoder.encode(app, StandardCharsets.UTF_8));
            sep = '&';
        }
        if (types != null && !types.isEmpty()) {
            path.append(sep).append("type=").append(URLEncoder.encode(String.join(",", types), StandardCharsets.UTF_8));
        }
        ApiClient client = api.client();
        String lastId = null;
        long unreachableSince = 0;
        long backoff = 500;
        boolean[] told = {false};
        while (!Thread.currentThread().isInterrupted()) {
            ApiClient.StreamEnd end = client.events(path.toString(), lastId, this::print, () -> {
                if (!told[0]) {
                    told[0] = true;
                    System.err.println("Waiting for events" + (app == null ? "" : " of " + app) + " (Ctrl-C to stop)");
                }
            });
            if (end.lastEventId() != null) {
                lastId = end.lastEventId();
            }
            if (end.received()) {
                unreachableSince = 0;
                backoff = 500;
            } else if (unreachableSince == 0) {
                unreachableSince = System.nanoTime();
            } else if (System.nanoTime() - unreachableSince > GIVE_UP_AFTER.toNanos()) {
                throw new CliError("the event stream from " + client.base() + " broke off and could not be "
                        + "opened again for " + GIVE_UP_AFTER.toSeconds() + " s" + (end.why() == null ? ""
                        : " (" + end.why() + ")") + ": is `slipway up` running?");
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return 130;
            }
            backoff = Math.min(backoff * 2, 5_000);
        }
        return 130;
    }

    private void print(String type, String data) {
        if (json) {
            System.out.println(data);
            return;
        }
        JsonNode event;
        try {
            event = Json.mapper().readTree(data);
        } catch (IOException e) {
            System.out.println(data);
            return;
        }
        String app = event.path("app").isNull() ? "-" : event.path("app").asText("-");
        System.out.println(event.path("at").asText("") + "  " + app + "  " + type + "  "
                + event.path("message").asText(""));
    }
}
