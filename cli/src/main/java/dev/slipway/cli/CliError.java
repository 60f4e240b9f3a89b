package dev.slipway.cli;

/**
 * A failure to tell the user in one line, naming what to do next; the command exits
 * {@link Main#FAILURE} (a {@link UsageError}: {@link Main#USAGE}).
 */
class CliError extends RuntimeException {
    CliError(String message) {
        super(message);
    }

    int exitCode() {
        return Main.FAILURE;
    }
}
