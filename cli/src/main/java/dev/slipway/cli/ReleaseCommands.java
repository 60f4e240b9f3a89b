package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code releases:info} and {@code rollback}, as Heroku's. */
final class ReleaseCommands {
    private ReleaseCommands() {
    }

    @Command(name = "releases:info", description = "Show one release (default: the current one): its slug, "
            + "description and config var names.")
    static final class Info extends AppCommand {
        @Parameters(paramLabel = "RELEASE", arity = "0..1", description = "the release, e.g. v3")
        String release;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            String version = release != null ? release : "v" + current(client, app);
            JsonNode body = client.get("/apps/" + app + "/releases/" + version);
            if (output.printed(body)) {
                return 0;
            }
            System.out.println(Terminal.heading("Release v" + body.path("version").asInt()));
            List<String> names = new ArrayList<>();
            body.path("config_var_names").forEach(name -> names.add(name.asText()));
            List<String> types = new ArrayList<>();
            body.path("process_types").fieldNames().forEachRemaining(types::add);
            Table table = Table.of("Field", "Value");
            table.row("Description", body.path("description").asText());
            table.row("Slug", body.path("slug").path("id").asText() + " (" + Sizes.human(body.path("slug")
                    .path("size").asLong()) + ")");
            table.row("Process types", String.join(", ", types));
            table.row("Config vars", names.isEmpty() ? "(none)" : String.join(", ", names));
            table.row("User", user(body));
            table.row("Created", body.path("created_at").asText());
            table.print();
            return 0;
        }
    }

    @Command(name = "rollback", description = "Roll back to a release (default: the one before the current): a new "
            + "release with its slug and config vars.")
    static final class Rollback extends AppCommand {
        @Parameters(paramLabel = "RELEASE", arity = "0..1", description = "the release to roll back to, e.g. v3")
        String release;
        @Mixin
        ConfigCommands.WaitOption waiting;

        @Override
        public Integer call() throws Exception {
            ApiClient client = api.client();
            String target = release;
            if (target == null) {
                int current = current(client, app);
                if (current < 2) {
                    throw new CliError(app + " has no release before v" + current + " to roll back to");
                }
                target = "v" + (current - 1);
            }
            System.out.print("Rolling back " + app + " to " + target + "... ");
            System.out.flush();
            JsonNode made = client.post("/apps/" + app + "/releases", java.util.Map.of("release", target));
            System.out.println("done, v" + made.path("version").asInt());
            Rollout.waitForRelease(client, app, made, waiting.seconds());
            return 0;
        }
    }

    /** Who made a release (its {@code user}'s name); empty for one stored before releases named it. */
    static String user(JsonNode release) {
        return release.path("user").path("name").asText("");
    }

    private static int current(ApiClient client, String app) {
        int current = client.get("/apps/" + app).path("release").asInt(0);
        if (current == 0) {
            throw new CliError(app + " has no releases yet: deploy it with `slipway deploy -a " + app + "`");
        }
        return current;
    }
}
