package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ps}, {@code ps:scale}, {@code ps:restart}, {@code ps:stop}, {@code ps:constraints} and {@code ps:resize}. */
final class PsCommands {
    private PsCommands() {
    }

    @Command(name = "ps", description = "List an app's current instances (dynos): one per slot, and the one-off "
            + "dynos running; `--all` lists the history, ended instances too.")
    static final class Ps extends AppCommand {
        @Mixin
        JsonOption output;

        @Option(names = "--all", description = "every instance kept, ended ones too (the history), not only the "
                + "current ones")
        boolean all;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            String path = "/apps/" + app + "/dynos" + (all ? "?all=true" : "");
            if (output.json) {
                JsonOption.print(client.get(path));
                return 0;
            }
            for (JsonNode row : client.get("/apps/" + app + "/formation")) {
                if (row.path("quantity").asInt() > 0) {
                    System.out.println(Terminal.heading(row.path("type").asText() + " (" + size(row) + "): "
                            + row.path("quantity").asInt()));
                }
            }
            JsonNode dynos = client.get(path);
            if (dynos.isEmpty()) {
                System.out.println("No instances of " + app + ".");
                return 0;
            }
            Table table = Table.of("Instance", "State", "Release", "Address", "Updated", "Message");
            java.util.List<String> crashed = new java.util.ArrayList<>();
            for (JsonNode d : dynos) {
                if (d.path("state").asText().equals("crashed") && d.path("next_try_in_seconds").isNumber()) {
                    crashed.add(crashed(d));
                    continue;
                }
                String where = d.path("port").asInt() > 0 ? d.path("host").asText() + ":" + d.path("port").asInt() : "";
                table.row(d.path("name").asText(), Terminal.state(d.path("state").asText()),
                        "v" + d.path("release").asInt(), where,
                        d.path("updated_at").isTextual() ? d.path("updated_at").asText() : "", d.path("message").asText());
            }
            if (!table.isEmpty()) {
                table.print();
            }
            crashed.forEach(System.out::println);
            return 0;
        }

        /**
         * {@code web.1 crashed: exited with code 127 - next try in 42 s}: plain ASCII, since the
         * terminal's encoding is not known (an em dash prints as {@code ?} in a POSIX locale).
         */
        static String crashed(JsonNode d) {
            long seconds = d.path("next_try_in_seconds").asLong();
            String why = d.path("message").asText();
            return d.path("name").asText() + " crashed" + (why.isEmpty() ? "" : ": " + why) + " - "
                    + (seconds > 0 ? "next try in " + seconds + " s" : "next try as soon as an offer fits");
        }
    }

    /** A formation row's size: {@code large: 0.5 cpus, 1024 MB}, or the resources alone without a name. */
    static String size(JsonNode row) {
        String resources = number(row.path("cpus").asDouble()) + " cpus, " + row.path("memory_mb").asInt() + " MB";
        return row.path("size").isTextual() ? row.path("size").asText() + ": " + resources : resources;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
                : java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    @Command(name = "ps:scale", description = "Scale process types, e.g. `ps:scale web=2 worker=1`.")
    static final class Scale extends AppCommand {
        @Parameters(paramLabel = "TYPE=N", arity = "1..*")
        java.util.List<String> changes;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            for (String change : changes) {
                String[] parts = change.split("=", 2);
                if (parts.length != 2 || !parts[1].matches("\\d{1,9}")) {
                    throw new CliError("'" + change + "' is not TYPE=N, e.g. web=2");
                }
                // Encoded, so that a bad name reaches the API whole and is refused naming it.
                String type = java.net.URLEncoder.encode(parts[0], java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20");
                client.patch("/apps/" + app + "/formation/" + type, Map.of("quantity", Integer.parseInt(parts[1])));
                System.out.println("Scaling " + app + " " + parts[0] + " to " + parts[1] + "... done");
            }
            return 0;
        }
    }

    @Command(name = "ps:restart", description = "Restart an app's instances one at a time, each replaced by a new "
            + "one that is ready before the old one stops: all of them, a process type's (`web`) or one (`web.2`).")
    static final class Restart extends AppCommand {
        @Parameters(paramLabel = "TYPE | TYPE.N", arity = "0..1")
        String target;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            String path = "/apps/" + app + "/dynos" + (target == null ? ""
                    : "/" + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            client.delete(path);
            System.out.println("Restarting " + (target == null ? "every instance" : target) + " of " + app
                    + " (one at a time; `slipway ps -a " + app + "` shows the progress)... done");
            return 0;
        }
    }

    @Command(name = "ps:stop", description = "Stop an instance (`web.2`) or a process type's instances (`web`) at "
            + "once, as Heroku's ps:stop: instances in the formation are replaced by new ones, started without "
            + "waiting (use ps:restart for a restart without downtime).")
    static final class Stop extends AppCommand {
        @Parameters(paramLabel = "TYPE | TYPE.N")
        String target;

        @Override
        public Integer call() {
            if (target.isBlank()) {
                throw new CliError("give the instance to stop, as TYPE.N (web.2) or TYPE (web)");
            }
            ApiClient client = api.client();
            client.post("/apps/" + app + "/dynos/" + java.net.URLEncoder.encode(target,
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "/actions/stop", Map.of());
            System.out.println("Stopping " + target + " of " + app + "... done");
            return 0;
        }
    }

    @Command(name = "ps:constraints", description = "Show or set where a process type's instances may run, with "
            + "Marathon's constraints, e.g. `ps:constraints web hostname:UNIQUE zone:GROUP_BY:3`; `--clear` "
            + "removes them (see docs/scheduling.md).")
    static final class Constraints extends AppCommand {
        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        @Parameters(index = "1..*", paramLabel = "FIELD:OPERATOR[:VALUE]", arity = "0..*")
        java.util.List<String> constraints;

        @Option(names = "--clear", description = "Remove the type's constraints.")
        boolean clear;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            String encoded = java.net.URLEncoder.encode(type, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20");
            java.util.List<String> given = constraints == null ? java.util.List.of() : constraints;
            if (clear && !given.isEmpty()) {
                throw new CliError("give constraints or --clear, not both");
            }
            if (!clear && given.isEmpty()) {
                for (JsonNode row : client.get("/apps/" + app + "/formation")) {
                    if (row.path("type").asText().equals(type) && !row.path("constraints").isEmpty()) {
                        System.out.println("=== " + app + " " + type + " constraints");
                        row.path("constraints").forEach(c -> System.out.println(c.asText()));
                        return 0;
                    }
                }
                System.out.println(app + " " + type + " has no constraints: its instances spread across agents.");
                return 0;
            }
            client.patch("/apps/" + app + "/formation/" + encoded, Map.of("constraints", given));
            System.out.println(clear ? "Clearing the constraints of " + app + " " + type + "... done"
                    : "Setting the constraints of " + app + " " + type + " to " + String.join(" ", given) + "... done");
            return 0;
        }
    }

    @Command(name = "ps:resize", description = "Show or set the size of process types' instances (cpus and memory, "
            + "as Heroku's dyno types), e.g. `ps:resize web=large worker=small`, or `ps:resize web --cpus 0.5 "
            + "--memory 512`; the instances are replaced one at a time (see docs/scheduling.md).")
    static final class Resize extends AppCommand {
        @Parameters(paramLabel = "TYPE=SIZE | TYPE", arity = "0..*")
        java.util.List<String> changes;

        @Option(names = "--cpus", paramLabel = "CPUS", description = "the cpus of TYPE's instances, e.g. 0.5")
        Double cpus;

        @Option(names = "--memory", paramLabel = "MB", description = "the memory of TYPE's instances in MB, e.g. 512")
        Integer memoryMb;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            java.util.List<String> given = changes == null ? java.util.List.of() : changes;
            boolean explicit = cpus != null || memoryMb != null;
            if (given.isEmpty()) {
                if (explicit) {
                    throw new CliError("name the process type to give --cpus or --memory, e.g. ps:resize web --cpus 0.5");
                }
                for (JsonNode row : client.get("/apps/" + app + "/formation")) {
                    System.out.println(row.path("type").asText() + ": " + size(row));
                }
                return 0;
            }
            if (explicit) {
                if (given.size() != 1 || given.get(0).contains("=")) {
                    throw new CliError("--cpus and --memory size one process type: ps:resize TYPE --cpus N --memory MB");
                }
                java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
                if (cpus != null) {
                    body.put("cpus", cpus);
                }
                if (memoryMb != null) {
                    body.put("memory_mb", memoryMb);
                }
                resized(client, given.get(0), body);
                return 0;
            }
            java.util.List<String[]> pairs = new java.util.ArrayList<>();
            for (String change : given) {
                String[] parts = change.split("=", 2);
                if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                    throw new CliError("'" + change + "' is not TYPE=SIZE, e.g. web=large (or give TYPE with --cpus "
                            + "and --memory)");
                }
                pairs.add(parts);
            }
            for (String[] pair : pairs) {
                resized(client, pair[0], Map.of("size", pair[1]));
            }
            return 0;
        }

        private void resized(ApiClient client, String type, Map<String, Object> body) {
            String encoded = java.net.URLEncoder.encode(type, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20");
            for (JsonNode row : client.patch("/apps/" + app + "/formation/" + encoded, body)) {
                if (row.path("type").asText().equals(type)) {
                    System.out.println("Resizing " + app + " " + type + " to " + size(row) + "... done");
                }
            }
        }
    }
}
