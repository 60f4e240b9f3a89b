package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code builds} and {@code builds:output}. */
final class BuildsCommands {
    private BuildsCommands() {
    }

    @Command(name = "builds", description = "List an app's recent builds, newest first.")
    static final class Builds extends AppCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode builds = api.client().get("/apps/" + app + "/builds");
            if (output.printed(builds)) {
                return 0;
            }
            if (builds.isEmpty()) {
                System.out.println(app + " has no builds yet: deploy it with `slipway deploy -a " + app + "`.");
                return 0;
            }
            System.out.println(Terminal.heading(app + " builds"));
            Table table = Table.of("ID", "Status", "Release", "Created");
            for (JsonNode b : builds) {
                JsonNode release = b.path("release");
                table.row(BuildStream.shortId(b.path("id").asText()), Terminal.state(b.path("status").asText()),
                        release.isObject() ? "v" + release.path("version").asInt() : "-", b.path("created_at").asText());
            }
            table.print();
            return 0;
        }
    }

    @Command(name = "builds:output", description = "Show a build's output; a running build's as it comes.")
    static final class Output extends AppCommand {
        @Parameters(paramLabel = "ID", description = "the build's id, or the start of it as `builds` shows it")
        String id;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            BuildStream.print(client, app, resolve(client));
            return 0;
        }

        private String resolve(ApiClient client) {
            if (id.length() == 36) {
                return id;
            }
            if (id.isBlank()) {
                throw new CliError("give a build id, as `slipway builds -a " + app + "` shows it");
            }
            List<String> matching = new ArrayList<>();
            for (JsonNode b : client.get("/apps/" + app + "/builds")) {
                if (b.path("id").asText().startsWith(id)) {
                    matching.add(b.path("id").asText());
                }
            }
            if (matching.isEmpty()) {
                throw new CliError(app + " has no build " + id + "; see `slipway builds -a " + app + "`");
            }
            if (matching.size() > 1) {
                throw new CliError("more than one build of " + app + " starts with " + id + ": give more of the id");
            }
            return matching.get(0);
        }
    }
}
