package dev.slipway.cli;

/** A failure to tell the user in one line; the command exits non-zero. */
final class CliError extends RuntimeException {
    CliError(String message) {
        super(message);
    }
}
