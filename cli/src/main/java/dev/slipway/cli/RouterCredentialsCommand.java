package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code router-credentials:create ROUTER}: an admin mints the credential with which a router of a
 * cluster ships its lines into the apps' logs ({@code POST /router-credentials}; docs/routing.md). The
 * API answers it once and stores it nowhere, so it goes straight into a private file ({@code --output},
 * 0600, replaced whole) or onto stdout, never into a log line.
 */
@Command(name = "router-credentials:create", description = "Mint the credential a router of a cluster ships its "
        + "log lines with (admins only): printed once, or written to --output (0600) for `slipway router "
        + "--log-token-file`.")
final class RouterCredentialsCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;
    @Parameters(paramLabel = "ROUTER", description = "the router's id: 1 to 63 lower-case letters, digits and dashes "
            + "(e.g. edge-1); its lines are signed as this router's")
    String router;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the credential to FILE (0600, "
            + "replaced whole) instead of printing it")
    Path output;

    @Override
    public Integer call() {
        JsonNode minted = api.client().post("/router-credentials", Map.of("router", router));
        String token = minted.path("token").asText();
        if (token.isEmpty()) {
            throw new CliError("the API answered no credential for router " + router);
        }
        if (output == null) {
            System.err.println("Credential of router " + router + " minted; it is shown once, here:");
            System.out.println(token);
            return 0;
        }
        try {
            PrivateFiles.replace(output, token + "\n");
        } catch (IOException e) {
            throw new CliError("could not write the credential to " + output + ": " + e.getMessage()
                    + " (it was minted: mint another, the first one stays valid until the signing key changes)");
        }
        System.out.println("Credential of router " + router + " written to " + output + " (0600). Start the router "
                + "with: slipway router --api " + api.url() + " --log-token-file " + output + " ...");
        return 0;
    }
}
