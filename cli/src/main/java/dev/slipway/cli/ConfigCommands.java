package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.zk.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code config}, {@code config:get}, {@code config:set} and {@code config:unset}, as Heroku's. A
 * change is a new release of the app's slug, which these verbs print and, like {@code deploy},
 * wait for unless {@code --no-wait}.
 */
final class ConfigCommands {
    private ConfigCommands() {
    }

    @Command(name = "config", description = "Show an app's config vars, with their values.")
    static final class Show extends AppCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode config = api.client().get("/apps/" + app + "/config-vars");
            if (output.printed(config)) {
                return 0;
            }
            if (config.isEmpty()) {
                System.out.println(app + " has no config vars: set one with `slipway config:set NAME=value -a " + app
                        + "`.");
                return 0;
            }
            System.out.println(Terminal.heading(app + " Config Vars"));
            print(config);
            return 0;
        }
    }

    @Command(name = "config:get", description = "Print the value of one config var.")
    static final class Get extends AppCommand {
        @Parameters(paramLabel = "KEY", description = "the config var's name")
        String key;

        @Override
        public Integer call() {
            JsonNode config = api.client().get("/apps/" + app + "/config-vars");
            if (!config.has(key)) {
                // Heroku prints nothing for an unset var; saying so on stderr keeps stdout clean for scripts.
                System.err.println("config var " + key + " is not set on " + app);
                return 1;
            }
            System.out.println(config.path(key).asText());
            return 0;
        }
    }

    @Command(name = "config:set", description = "Set config vars (KEY=VALUE ...): a new release, rolled out.")
    static final class Set extends AppCommand {
        @Parameters(paramLabel = "KEY=VALUE", arity = "1..*", description = "the vars to set")
        List<String> pairs = new ArrayList<>();
        @Mixin
        WaitOption waiting;

        @Override
        public Integer call() throws Exception {
            Map<String, String> vars = new LinkedHashMap<>();
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new UsageError("'" + (eq == 0 ? pair.substring(0, 1) + "..." : name(pair))
                            + "' is not KEY=VALUE: give each var as NAME=value, e.g. `config:set FOO=bar`");
                }
                vars.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            ObjectNode body = Json.mapper().createObjectNode();
            vars.forEach(body::put);
            return change(this, body, "Setting " + String.join(", ", vars.keySet()), waiting);
        }

        /** A word without '=' is shown as the user typed it (it holds no value). */
        private static String name(String pair) {
            return pair.length() > 64 ? pair.substring(0, 64) + "..." : pair;
        }
    }

    @Command(name = "config:unset", description = "Unset config vars (KEY ...): a new release, rolled out.")
    static final class Unset extends AppCommand {
        @Parameters(paramLabel = "KEY", arity = "1..*", description = "the vars to unset")
        List<String> keys = new ArrayList<>();
        @Mixin
        WaitOption waiting;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = Json.mapper().createObjectNode();
            keys.forEach(body::putNull);
            return change(this, body, "Unsetting " + String.join(", ", keys), waiting);
        }
    }

    /** {@code --no-wait} and {@code --wait SECONDS}, as {@code deploy} waits. */
    static final class WaitOption {
        @Option(names = "--wait", defaultValue = "120", description = "seconds to wait for web instances of the new"
                + " release to be up (0: don't wait)")
        int waitSeconds;
        @Option(names = "--no-wait", description = "don't wait for the new release's instances")
        boolean noWait;

        int seconds() {
            return noWait ? 0 : waitSeconds;
        }
    }

    /** Sends the change, prints the release it made (or that the config is stored for the first one), waits. */
    private static int change(AppCommand command, ObjectNode body, String doing, WaitOption waiting)
            throws InterruptedException {
        ApiClient client = command.api.client();
        String app = command.app;
        int before = client.get("/apps/" + app).path("release").asInt(0);
        System.out.print(doing + " on " + app + "... ");
        System.out.flush();
        client.patch("/apps/" + app + "/config-vars", body);
        int after = client.get("/apps/" + app).path("release").asInt(0);
        if (after == 0) {
            System.out.println("done (stored for the app's first release)");
            return 0;
        }
        if (after == before) {
            System.out.println("done (nothing changed)");
            return 0;
        }
        System.out.println("done, v" + after);
        JsonNode release = client.get("/apps/" + app + "/releases/" + after);
        Rollout.waitForRelease(client, app, release, waiting.seconds());
        return 0;
    }

    /** Heroku's listing: {@code NAME: value}, the values aligned. */
    static void print(JsonNode config) {
        int width = 0;
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            width = Math.max(width, names.next().length() + 1);
        }
        for (Iterator<Map.Entry<String, JsonNode>> vars = config.fields(); vars.hasNext(); ) {
            Map.Entry<String, JsonNode> var = vars.next();
            System.out.println(String.format("%-" + width + "s", var.getKey() + ":") + " " + var.getValue().asText());
        }
    }
}
