package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code features}, {@code features:info}, {@code features:enable} and {@code features:disable}, as
 * Heroku's app features: {@code https-only} redirects the app's plain-HTTP requests to HTTPS (see
 * docs/tls.md).
 */
final class FeaturesCommands {
    private FeaturesCommands() {
    }

    @Command(name = "features", description = "List an app's features: [+] enabled, [ ] disabled.")
    static final class List extends AppCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode features = api.client().get("/apps/" + app + "/features");
            if (output.printed(features)) {
                return 0;
            }
            System.out.println(Terminal.heading("App Features " + app));
            int width = 0;
            for (JsonNode feature : features) {
                width = Math.max(width, feature.path("name").asText().length());
            }
            for (JsonNode feature : features) {
                System.out.printf("%s %-" + width + "s  %s%n", feature.path("enabled").asBoolean() ? "[+]" : "[ ]",
                        feature.path("name").asText(), feature.path("description").asText());
            }
            return 0;
        }
    }

    @Command(name = "features:info", description = "Show one feature of an app.")
    static final class Info extends AppCommand {
        @Parameters(paramLabel = "FEATURE", description = "the feature, as https-only")
        String feature;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode shown = api.client().get("/apps/" + app + "/features/" + ApiClient.segment(feature.strip()));
            if (output.printed(shown)) {
                return 0;
            }
            System.out.println(Terminal.heading(shown.path("name").asText()));
            System.out.printf("%-13s %s%n", "Description:", shown.path("description").asText());
            System.out.printf("%-13s %s%n", "Docs:", shown.path("doc_url").asText());
            System.out.printf("%-13s %s%n", "Enabled:", shown.path("enabled").asBoolean() ? "true" : "false");
            return 0;
        }
    }

    @Command(name = "features:enable", description = "Enable a feature of an app (https-only: plain-HTTP "
            + "requests are redirected to HTTPS).")
    static final class Enable extends AppCommand {
        @Parameters(paramLabel = "FEATURE", description = "the feature, as https-only")
        String feature;

        @Override
        public Integer call() {
            return switched(this, feature, true);
        }
    }

    @Command(name = "features:disable", description = "Disable a feature of an app.")
    static final class Disable extends AppCommand {
        @Parameters(paramLabel = "FEATURE", description = "the feature, as https-only")
        String feature;

        @Override
        public Integer call() {
            return switched(this, feature, false);
        }
    }

    private static int switched(AppCommand command, String feature, boolean enabled) {
        String name = feature.strip();
        System.out.print((enabled ? "Enabling " : "Disabling ") + name + " for " + command.app + "... ");
        System.out.flush();
        command.api.client().patch("/apps/" + command.app + "/features/" + ApiClient.segment(name),
                Map.of("enabled", enabled));
        System.out.println("done");
        return 0;
    }
}
