package dev.slipway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A client verb about one app: {@code -a/--app}, else {@code $SLIPWAY_APP}, else the app of the
 * current directory's {@code slipway} git remote ({@link SlipwayRemote}); and where the API is.
 * {@link Main} resolves the app before the verb runs, so {@link #app} is set in {@code call()}.
 */
abstract class AppCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;
    @Option(names = {"-a", "--app"}, paramLabel = "APP", description = "the app (default: $SLIPWAY_APP, else the "
            + "app of this directory's `slipway` git remote)")
    String app;

    /** Sets {@link #app} when no {@code -a} was given, or fails naming the ways to give it. */
    void resolveApp(Path dir) {
        if (app != null) {
            return;
        }
        String fromEnvironment = System.getenv("SLIPWAY_APP");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            app = fromEnvironment.strip();
            return;
        }
        app = SlipwayRemote.app(dir);
        if (app == null) {
            throw new UsageError("no app given: pass -a APP, or run this in a git repository with a `"
                    + SlipwayRemote.NAME + "` remote (`slipway git:remote -a APP` adds it)");
        }
    }
}
