package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code slipway deployments -a APP}: the app's deployments, newest first. */
@Command(name = "deployments", description = "List an app's deployments, newest first: state, progress, reason.")
final class DeploymentsCommand extends AppCommand {
    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        JsonNode deployments = api.client().get("/apps/" + app + "/deployments");
        if (!output.json && !deployments.isEmpty()) {
            System.out.println(Terminal.heading(app + " deployments"));
        }
        output.list(deployments, app + " has no deployments yet: deploy it with `slipway deploy -a " + app + "`.",
                Table.of("Release", "From", "State", "Progress", "Reason", "Updated"), d -> new String[] {
                        "v" + d.path("to_release").asInt(),
                        d.path("from_release").asInt() == 0 ? "" : "v" + d.path("from_release").asInt(),
                        d.path("state").asText().replace('_', ' ')
                                + (d.path("automatic_rollback").asBoolean() ? " (automatic rollback)" : ""),
                        d.path("progress").asText(), d.path("reason").asText(""), d.path("updated_at").asText()});
        return 0;
    }
}
