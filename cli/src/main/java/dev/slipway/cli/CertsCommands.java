package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code certs}, {@code certs:add} and {@code certs:remove}, as Heroku's: the TLS certificates the
 * router serves for an app's custom domains (its SNI endpoints, see docs/tls.md). The private key is
 * read from its file and sent to the API, never printed.
 */
final class CertsCommands {
    private CertsCommands() {
    }

    @Command(name = "certs", description = "List the TLS certificates of an app's custom domains.")
    static final class List extends AppCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode certs = api.client().get("/apps/" + app + "/sni-endpoints");
            Table table = Table.of("Domain", "Certificate Names", "Expires", "Issuer", "Updated");
            output.list(certs, app + " has no certificates.", table, c -> {
                java.util.List<String> names = new ArrayList<>();
                c.path("ssl_cert").path("cert_domains").forEach(name -> names.add(name.asText()));
                JsonNode cert = c.path("ssl_cert");
                return new String[] {
                    c.path("domain").asText(),
                    String.join(", ", names),
                    cert.path("expires_at").asText(),
                    cert.path("self_signed").asBoolean() ? "self-signed" : cert.path("issuer").asText(),
                    c.path("updated_at").asText()
                };
            });
            return 0;
        }
    }

    @Command(name = "certs:add", description = "Add a TLS certificate for a custom domain of an app, or replace "
            + "the one it has; the routers serve it from their next handshake.")
    static final class Add extends AppCommand {
        @Parameters(index = "0", paramLabel = "DOMAIN", description = "a custom domain of the app (domains:add), as "
                + "www.example.com or *.example.com (quote a wildcard in the shell)")
        String domain;
        @Parameters(index = "1", paramLabel = "CERT_FILE", description = "the certificate chain, PEM: the domain's "
                + "certificate first, then its intermediates")
        Path certificate;
        @Parameters(index = "2", paramLabel = "KEY_FILE", description = "its private key, PEM, unencrypted "
                + "(PKCS#8, or PKCS#1 for RSA); sent to Slipway, never shown")
        Path key;

        @Override
        public Integer call() {
            String chain = read(certificate, "certificate");
            String privateKey = read(key, "key");
            System.out.print("Adding a certificate for " + domain + " to " + app + "... ");
            System.out.flush();
            JsonNode added = api.client().post("/apps/" + app + "/sni-endpoints",
                    Map.of("domain", domain, "certificate_chain", chain, "private_key", privateKey));
            System.out.println("done");
            JsonNode cert = added.path("ssl_cert");
            System.out.println("Serving " + added.path("domain").asText() + " with a certificate for "
                    + String.join(", ", names(cert)) + ", expires " + cert.path("expires_at").asText()
                    + (cert.path("self_signed").asBoolean() ? " (self-signed: browsers will warn)" : ""));
            return 0;
        }

        private static java.util.List<String> names(JsonNode cert) {
            java.util.List<String> names = new ArrayList<>();
            cert.path("cert_domains").forEach(name -> names.add(name.asText()));
            return names;
        }

        private static String read(Path file, String what) {
            try {
                return Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new CliError("cannot read the " + what + " file " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "certs:remove", description = "Remove the TLS certificate of a custom domain: the routers "
            + "serve their default certificate for it from their next handshake.")
    static final class Remove extends AppCommand {
        @Parameters(paramLabel = "DOMAIN", description = "the domain whose certificate to remove")
        String domain;

        @Override
        public Integer call() {
            System.out.print("Removing the certificate of " + domain + " from " + app + "... ");
            System.out.flush();
            api.client().delete("/apps/" + app + "/sni-endpoints/" + ApiClient.segment(domain.strip()));
            System.out.println("done");
            return 0;
        }
    }
}
