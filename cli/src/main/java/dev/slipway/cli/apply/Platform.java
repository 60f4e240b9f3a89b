package dev.slipway.cli.apply;

import java.util.function.Consumer;

/**
 * What {@link Convergence} needs of a Slipway: read an app, carry out one step. The CLI's is the
 * REST API; a failure is an exception whose message is told to the user as it is (never a config
 * value in it).
 */
public interface Platform {
    /** The app as the server has it now, as far as {@code spec} manages it. */
    AppState read(AppSpec spec);

    /** Carries out {@code step} on {@code spec}'s app, telling progress through {@code say}; returns once it is done. */
    void carry(AppSpec spec, Step step, Consumer<String> say) throws InterruptedException;
}
