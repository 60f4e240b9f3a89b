package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the deployment of a release ({@code GET /apps/{app}/deployments/{release}}) to its end,
 * printing its progress ({@code 2/3 web up}) as it changes: returns once it succeeded, throws a
 * {@link CliError} with its reason when it failed, was rolled back or superseded, or did not end
 * within the wait. {@code deploy} uses it; so may every verb that makes a release. A deployment
 * that failed because its instances crashed shows, before its reason, each crashed instance's exit
 * and last lines of output ({@link #crashes}).
 */
final class DeploymentProgress {
    /** A deploy ends when this notices (half of it on average); a GET of one small record costs the API little. */
    private static final Duration POLL = Duration.ofMillis(100);
    /** How many of a crashed instance's last log lines a failed deployment shows, and of how many instances. */
    static final int LOG_LINES = 10;
    private static final int MAX_DYNOS = 3;
    private static final Duration LOG_WAIT = Duration.ofSeconds(3);
    /** {@code web.1 crashed: exited with code 127}, or {@code web.1 crashed 2 times within 60 s of the cutover: ...}. */
    private static final Pattern CRASHED = Pattern.compile(
            "([A-Za-z0-9_-]+\\.[0-9]+) crashed(?: [0-9]+ times within [0-9]+ s of the cutover)?: "
                    + "(.*?)(?: \\([0-9]+ times in a row\\))?(?=; |$)");

    private DeploymentProgress() {
    }

    static void follow(ApiClient client, String app, int release, int waitSeconds) throws InterruptedException {
        follow(client, app, release, waitSeconds, System.out::println);
    }

    /** As {@link #follow(ApiClient, String, int, int)}, each line of progress handed to {@code say}. */
    static void follow(ApiClient client, String app, int release, int waitSeconds,
                       Consumer<String> say) throws InterruptedException {
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
                        if (!state.equals("superseded")) {
                            crashes(client, app, deployment, say);
                        }
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

    /**
     * For each instance the failed deployment's reason names as crashed ({@code web.1 crashed:
     * exited with code 127}): that line, then its last lines of output since the deployment began
     * (the app's own, from {@code GET /apps/{app}/logs?dyno=web.1&source=app}), where the reason it
     * could not run is most often printed. The log lines do not say stdout from stderr: the last
     * ones are shown. Nothing more than the reason when the log cannot be read.
     */
    static void crashes(ApiClient client, String app, JsonNode deployment, Consumer<String> say)
            throws InterruptedException {
        Map<String, String> crashed = crashed(deployment.path("reason").asText(""));
        String since = deployment.path("created_at").asText("");
        int shown = 0;
        for (Map.Entry<String, String> dyno : crashed.entrySet()) {
            if (shown++ == MAX_DYNOS) {
                break;
            }
            say.accept(" !     " + dyno.getKey() + " crashed: " + dyno.getValue());
            List<String> lines = List.of();
            // The executor ships the last lines a moment after the crash is known: a short wait for them.
            Instant until = Instant.now().plus(LOG_WAIT);
            try {
                String lastRun = lastRunSince(history(client, app), dyno.getKey(),
                        deployment.path("to_release").asInt(), since);
                do {
                    lines = lastLines(client, app, dyno.getKey(), lastRun);
                    if (lines.isEmpty() && !lastRun.equals(since)) {
                        lines = lastLines(client, app, dyno.getKey(), since);
                    }
                    if (!lines.isEmpty()) {
                        break;
                    }
                    Thread.sleep(POLL.toMillis());
                } while (Instant.now().isBefore(until));
            } catch (CliError e) {
                continue;
            }
            lines.forEach(line -> say.accept(" !     " + line));
        }
    }

    /** The app's instances, ended ones too ({@code ?all=true}); empty from a server that does not keep them. */
    private static JsonNode history(ApiClient client, String app) {
        try {
            return client.get("/apps/" + app + "/dynos?all=true");
        } catch (CliError e) {
            return Json.mapper().createArrayNode();
        }
    }

    /**
     * When the last run of {@code dyno} on {@code release} began, at the latest: the end of its run
     * before (an instance crashes several times before the deployment fails, each printing the same
     * lines), from the instances' history; {@code since} when it does not tell.
     */
    static String lastRunSince(JsonNode history, String dyno, int release, String since) {
        List<Instant> ended = new ArrayList<>();
        for (JsonNode d : history) {
            if (d.path("name").asText().equals(dyno) && d.path("release").asInt() == release
                    && d.path("state").asText().equals("crashed") && d.path("updated_at").isTextual()) {
                try {
                    ended.add(Instant.parse(d.path("updated_at").asText()));
                } catch (DateTimeParseException e) {
                    // not a time: not used
                }
            }
        }
        if (ended.size() < 2) {
            return since;
        }
        ended.sort(null);
        return ended.get(ended.size() - 2).toString();
    }

    /** The dynos a deployment's reason names as crashed, each with why: {@code web.1 -> exited with code 127}. */
    static Map<String, String> crashed(String reason) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher matcher = CRASHED.matcher(reason);
        while (matcher.find()) {
            found.putIfAbsent(matcher.group(1), matcher.group(2).strip());
        }
        return found;
    }

    /** The app's last {@value #LOG_LINES} lines from {@code dyno} stamped at or after {@code since}, their text alone. */
    private static List<String> lastLines(ApiClient client, String app, String dyno, String since) {
        List<String> lines = new ArrayList<>();
        client.lines("/apps/" + app + "/logs?lines=" + 5 * LOG_LINES + "&source=app&dyno="
                + URLEncoder.encode(dyno, StandardCharsets.UTF_8), line -> {
                    if (stampedSince(line, since)) {
                        int text = line.indexOf("]: ");
                        lines.add(text < 0 ? line : line.substring(text + 3));
                    }
                });
        return lines.size() <= LOG_LINES ? lines : lines.subList(lines.size() - LOG_LINES, lines.size());
    }

    /** Whether a log line ({@code 2026-12-07T12:00:01.123456+00:00 app[web.1]: ...}) is stamped at or after {@code since}. */
    static boolean stampedSince(String line, String since) {
        if (since.isEmpty()) {
            return true;
        }
        int space = line.indexOf(' ');
        try {
            return !OffsetDateTime.parse(space < 0 ? line : line.substring(0, space)).toInstant()
                    .isBefore(Instant.parse(since));
        } catch (DateTimeParseException e) {
            return true;
        }
    }
}
