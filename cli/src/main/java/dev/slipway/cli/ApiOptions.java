package dev.slipway.cli;

import picocli.CommandLine.Option;

/** Where the API is: {@code --api}, else $SLIPWAY_API, else the local default. */
final class ApiOptions {
    @Option(names = "--api", description = "Slipway API URL (default: $SLIPWAY_API or http://127.0.0.1:7070)")
    String api;

    ApiClient client() {
        String url = api != null ? api : System.getenv().getOrDefault("SLIPWAY_API", "http://127.0.0.1:7070");
        return new ApiClient(url);
    }
}
