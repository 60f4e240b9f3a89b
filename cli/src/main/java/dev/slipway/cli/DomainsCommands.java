package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code domains}, {@code domains:add} and {@code domains:remove}, as Heroku's: the hostnames an app
 * answers to, its default one and its custom ones (see docs/domains.md).
 */
final class DomainsCommands {
    private DomainsCommands() {
    }

    @Command(name = "domains", description = "List an app's domains: its default hostname and its custom domains.")
    static final class List extends AppCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode domains = api.client().get("/apps/" + app + "/domains");
            Table table = Table.of("Domain Name", "Kind", "DNS Record Type", "DNS Target", "Added");
            output.list(domains, app + " has no domains.", table, d -> new String[] {
                d.path("hostname").asText(),
                d.path("kind").asText(),
                "custom".equals(d.path("kind").asText()) ? "CNAME" : "",
                d.path("cname").isTextual() ? d.path("cname").asText() : "",
                d.path("created_at").asText()
            });
            return 0;
        }
    }

    @Command(name = "domains:add", description = "Add a custom domain (www.example.com, or a wildcard as "
            + "*.example.com) to an app.")
    static final class Add extends AppCommand {
        @Parameters(paramLabel = "HOSTNAME", description = "the domain, as www.example.com or *.example.com "
                + "(quote a wildcard in the shell)")
        String hostname;

        @Override
        public Integer call() {
            System.out.print("Adding " + hostname + " to " + app + "... ");
            System.out.flush();
            JsonNode domain = api.client().post("/apps/" + app + "/domains", Map.of("hostname", hostname));
            System.out.println("done");
            System.out.println("Point a CNAME record for " + domain.path("hostname").asText() + " at "
                    + domain.path("cname").asText() + ", or an A record at your routers' address.");
            return 0;
        }
    }

    @Command(name = "domains:remove", description = "Remove a custom domain from an app.")
    static final class Remove extends AppCommand {
        @Parameters(paramLabel = "HOSTNAME", description = "the domain to remove")
        String hostname;

        @Override
        public Integer call() {
            System.out.print("Removing " + hostname + " from " + app + "... ");
            System.out.flush();
            api.client().delete("/apps/" + app + "/domains/" + ApiClient.segment(hostname.strip()));
            System.out.println("done");
            return 0;
        }
    }
}
