package dev.slipway.cli;

/** The command line lacks something it needs (as picocli's own usage errors): exit code {@link Main#USAGE}. */
final class UsageError extends CliError {
    UsageError(String message) {
        super(message);
    }

    @Override
    int exitCode() {
        return Main.USAGE;
    }
}
