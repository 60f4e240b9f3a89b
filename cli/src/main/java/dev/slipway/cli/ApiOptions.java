package dev.slipway.cli;

import picocli.CommandLine.Option;

/**
 * Where the API is: {@code --api}, else $SLIPWAY_API, else the local default; and the token sent to
 * it ({@link Credentials#tokenFor}: $SLIPWAY_TOKEN, else the credentials file's entry for the URL).
 */
final class ApiOptions {
    @Option(names = "--api", description = "Slipway API URL (default: $SLIPWAY_API or http://127.0.0.1:7070)")
    String api;

    ApiClient client() {
        String url = url();
        return new ApiClient(url, Credentials.tokenFor(url).orElse(null));
    }

    /** A client that sends {@code token} (login checks one before storing it). */
    ApiClient client(String token) {
        return new ApiClient(url(), token);
    }

    String url() {
        return api != null ? api : System.getenv().getOrDefault("SLIPWAY_API", "http://127.0.0.1:7070");
    }
}
