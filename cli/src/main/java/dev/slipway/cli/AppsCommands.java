package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.App;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apps:create}, {@code apps}, {@code apps:info}, {@code apps:update}, {@code releases}. */
final class AppsCommands {
    private AppsCommands() {
    }

    @Command(name = "apps:create", description = "Create an app.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Parameters(paramLabel = "NAME", description = "lowercase letters, digits and dashes; at most 30 characters")
        String name;
        @Option(names = "--team", description = "the team the app belongs to (default: your only team)")
        String team;

        @Override
        public Integer call() {
            Map<String, String> body = new HashMap<>();
            body.put("name", name);
            if (team != null) {
                body.put("team", team);
            }
            JsonNode app = api.client().post("/apps", body);
            System.out.println("Creating " + app.path("name").asText() + "... done");
            System.out.println(app.path("web_url").asText());
            return 0;
        }
    }

    @Command(name = "apps:destroy", description = "Destroy an app for good: its instances stop, and its releases, "
            + "builds, slugs, build cache, logs, git repository and route are removed. Asks for --confirm APP.")
    static final class Destroy extends AppCommand {
        @Parameters(paramLabel = "APP", arity = "0..1", description = "the app (or -a APP)")
        String named;
        @Option(names = "--confirm", paramLabel = "APP", description = "the app's name again, to confirm")
        String confirm;

        @Override
        void resolveApp(java.nio.file.Path dir) {
            if (named != null && app != null && !named.equals(app)) {
                throw new UsageError("two apps given: " + named + " and -a " + app + "; name one");
            }
            if (named != null) {
                app = named;
            }
            super.resolveApp(dir);
        }

        @Override
        public Integer call() {
            if (confirm == null) {
                throw new UsageError("destroying " + app + " removes it and everything of it for good: to proceed, "
                        + "run `slipway apps:destroy " + app + " --confirm " + app + "`");
            }
            if (!confirm.equals(app)) {
                throw new UsageError("--confirm " + confirm + " does not match the app " + app
                        + ": nothing was destroyed");
            }
            System.out.print("Destroying " + app + " (stopping its instances)... ");
            System.out.flush();
            JsonNode answer = api.client().delete("/apps/" + app, java.time.Duration.ofMinutes(3));
            System.out.println("done");
            System.out.println(answer.path("message").asText());
            return 0;
        }
    }

    @Command(name = "apps", description = "List the apps.")
    static final class List implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            output.list(api.client().get("/apps"), "No apps yet: create one with `slipway apps:create NAME`.",
                    Table.of("Name", "Release", "Web URL"), app -> new String[] {app.path("name").asText(),
                            app.path("release").isNull() || app.path("release").isMissingNode() ? "not deployed"
                                    : "v" + app.path("release").asInt(), app.path("web_url").asText()});
            return 0;
        }
    }

    @Command(name = "apps:info", description = "Show an app's settings: release, formation, buildpacks, "
            + "kill grace, features.")
    static final class Info extends AppCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            JsonNode shown = client.get("/apps/" + app);
            if (output.printed(shown)) {
                return 0;
            }
            JsonNode formation = client.get("/apps/" + app + "/formation");
            JsonNode buildpacks = client.get("/apps/" + app + "/buildpacks");
            JsonNode features = client.get("/apps/" + app + "/features");
            System.out.println(Terminal.heading(shown.path("name").asText()));
            row("Web URL", shown.path("web_url").asText());
            row("Release", shown.path("release").isInt() ? "v" + shown.path("release").asInt() : "not deployed");
            row("Running", shown.path("running_release").isInt() ? "v" + shown.path("running_release").asInt()
                    : "no release has become healthy yet");
            java.util.List<String> scaled = new ArrayList<>();
            formation.forEach(f -> scaled.add(f.path("type").asText() + "=" + f.path("quantity").asInt()));
            row("Formation", scaled.isEmpty() ? "web=1 once deployed" : String.join(" ", scaled));
            java.util.List<String> references = new ArrayList<>();
            buildpacks.forEach(b -> references.add(b.path("buildpack").asText()));
            row("Buildpacks", references.isEmpty() ? "auto-detection" : String.join(", ", references));
            row("Kill grace", KillGrace.describe(shown));
            row("Deploy timeout", shown.path("deploy_timeout_seconds").asInt() + " s"
                    + (shown.path("deploy_timeout_default").asBoolean() ? " (default)" : ""));
            java.util.List<String> enabled = new ArrayList<>();
            features.forEach(f -> {
                if (f.path("enabled").asBoolean()) {
                    enabled.add(f.path("name").asText());
                }
            });
            row("Features", enabled.isEmpty() ? "none" : String.join(", ", enabled));
            row("Created", shown.path("created_at").asText());
            return 0;
        }

        private static void row(String label, String value) {
            System.out.printf("%-15s %s%n", label + ":", value);
        }
    }

    @Command(name = "apps:update", description = "Change an app's settings.")
    static final class Update extends AppCommand {
        @Option(names = "--kill-grace", paramLabel = "SECONDS|default", description = "how long its instances get "
                + "between SIGTERM and SIGKILL when stopped (" + App.MIN_KILL_GRACE_SECONDS + "-"
                + App.MAX_KILL_GRACE_SECONDS + " s), or `default` for the platform's; applies to running instances "
                + "from their next stop")
        String killGrace;
        @Option(names = "--deploy-timeout", paramLabel = "SECONDS|default", description = "how long a deployment "
                + "may take to become healthy before it is rolled back (" + App.MIN_DEPLOY_TIMEOUT_SECONDS + "-"
                + App.MAX_DEPLOY_TIMEOUT_SECONDS + " s), or `default` (" + App.DEFAULT_DEPLOY_TIMEOUT_SECONDS + " s)")
        String deployTimeout;

        @Override
        public Integer call() {
            if (killGrace == null && deployTimeout == null) {
                throw new CliError("nothing to update: give --kill-grace SECONDS (" + App.MIN_KILL_GRACE_SECONDS + "-"
                        + App.MAX_KILL_GRACE_SECONDS + ") or --kill-grace default, or --deploy-timeout SECONDS ("
                        + App.MIN_DEPLOY_TIMEOUT_SECONDS + "-" + App.MAX_DEPLOY_TIMEOUT_SECONDS + ") or default");
            }
            Map<String, Object> update = new HashMap<>();
            if (killGrace != null) {
                update.put("kill_grace_seconds", KillGrace.parse(killGrace.strip()));
            }
            if (deployTimeout != null) {
                update.put("deploy_timeout_seconds", deployTimeout(deployTimeout.strip()));
            }
            JsonNode updated = api.client().patch("/apps/" + app, update);
            if (killGrace != null) {
                System.out.println("Setting the kill grace of " + app + " to " + KillGrace.describe(updated)
                        + "... done");
            }
            if (deployTimeout != null) {
                System.out.println("Setting the deploy timeout of " + app + " to "
                        + updated.path("deploy_timeout_seconds").asInt() + " s"
                        + (updated.path("deploy_timeout_default").asBoolean() ? " (default)" : "") + "... done");
            }
            return 0;
        }

        private static Integer deployTimeout(String text) {
            if (text.equalsIgnoreCase("default")) {
                return null;
            }
            int seconds = text.matches("\\d{1,9}") ? Integer.parseInt(text) : -1;
            if (seconds < App.MIN_DEPLOY_TIMEOUT_SECONDS || seconds > App.MAX_DEPLOY_TIMEOUT_SECONDS) {
                throw new CliError("--deploy-timeout takes whole seconds from " + App.MIN_DEPLOY_TIMEOUT_SECONDS
                        + " to " + App.MAX_DEPLOY_TIMEOUT_SECONDS + ", or `default`; not '" + text + "'");
            }
            return seconds;
        }
    }

    /** {@code --kill-grace} as typed, and as shown. */
    static final class KillGrace {
        private KillGrace() {
        }

        /** Whole seconds in range, or null for {@code default}. */
        static Integer parse(String text) {
            if (text.equalsIgnoreCase("default")) {
                return null;
            }
            int seconds = text.matches("\\d{1,9}") ? Integer.parseInt(text) : -1;
            if (seconds < App.MIN_KILL_GRACE_SECONDS || seconds > App.MAX_KILL_GRACE_SECONDS) {
                throw new CliError("--kill-grace takes whole seconds from " + App.MIN_KILL_GRACE_SECONDS + " to "
                        + App.MAX_KILL_GRACE_SECONDS + ", or `default`; not '" + text + "'");
            }
            return seconds;
        }

        /** {@code 30 s}, or {@code 10 s (default)} for an app that set none. */
        static String describe(JsonNode app) {
            return app.path("kill_grace_seconds").asInt() + " s"
                    + (app.path("kill_grace_default").asBoolean() ? " (default)" : "");
        }
    }

    /** {@code running} for the app's running release, else its deployment's state where it did not succeed. */
    static String status(JsonNode release) {
        if (release.path("current").asBoolean()) {
            return "running";
        }
        String deployment = release.path("deployment").asText("");
        return deployment.equals("succeeded") ? "" : deployment.replace('_', ' ');
    }

    @Command(name = "releases", description = "List an app's releases, newest first; the running one and those "
            + "whose deployment failed are marked.")
    static final class Releases extends AppCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode releases = api.client().get("/apps/" + app + "/releases");
            if (output.printed(releases)) {
                return 0;
            }
            if (releases.isEmpty()) {
                System.out.println(app + " has no releases yet: deploy it with `slipway deploy -a " + app + "`.");
                return 0;
            }
            System.out.println(Terminal.heading(app + " releases"));
            Table table = Table.of("Version", "Status", "Description", "User", "Created");
            for (int i = releases.size() - 1; i >= 0; i--) {
                JsonNode r = releases.get(i);
                table.row("v" + r.path("version").asInt(), status(r), r.path("description").asText(),
                        ReleaseCommands.user(r), r.path("created_at").asText());
            }
            table.print();
            return 0;
        }
    }
}
