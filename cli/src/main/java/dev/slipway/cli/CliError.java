package dev.slipway.cli;

/**
 * A failure to tell the user in one line, naming what to do next; the command exits
 * {@link Main#FAILURE} (a {@link UsageError}: {@link Main#USAGE}).
 */
class CliError extends RuntimeException {
    private final int exitCode;

    CliError(String message) {
        this(message, Main.FAILURE);
    }

    /** A failure with an exit code of its own ({@code run --timeout}: 124). */
    CliError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
