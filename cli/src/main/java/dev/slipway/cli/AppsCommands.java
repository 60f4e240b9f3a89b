package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code apps:create}, {@code apps}, {@code releases}. */
final class AppsCommands {
    private AppsCommands() {
    }

    @Command(name = "apps:create", description = "Create an app.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Parameters(paramLabel = "NAME", description = "lowercase letters, digits and dashes; at most 30 characters")
        String name;

        @Override
        public Integer call() {
            JsonNode app = api.client().post("/apps", Map.of("name", name));
            System.out.println("Creating " + app.path("name").asText() + "... done");
            System.out.println(app.path("web_url").asText());
            return 0;
        }
    }

    @Command(name = "apps", description = "List the apps.")
    static final class List implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            JsonNode apps = api.client().get("/apps");
            if (apps.isEmpty()) {
                System.out.println("No apps yet: create one with `slipway apps:create NAME`.");
            }
            for (JsonNode app : apps) {
                String release = app.path("release").isNull() || app.path("release").isMissingNode()
                        ? "not deployed" : "v" + app.path("release").asInt();
                System.out.printf("%-30s %-13s %s%n", app.path("name").asText(), release, app.path("web_url").asText());
            }
            return 0;
        }
    }

    @Command(name = "releases", description = "List an app's releases, newest first.")
    static final class Releases extends AppCommand {

        @Override
        public Integer call() {
            JsonNode releases = api.client().get("/apps/" + app + "/releases");
            for (int i = releases.size() - 1; i >= 0; i--) {
                JsonNode r = releases.get(i);
                System.out.printf("v%-5d %-40s %s%n", r.path("version").asInt(), r.path("description").asText(),
                        r.path("created_at").asText());
            }
            return 0;
        }
    }
}
