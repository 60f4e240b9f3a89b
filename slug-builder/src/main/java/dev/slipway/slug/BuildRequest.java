package dev.slipway.slug;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link SlugCompiler} builds.
 *
 * @param app       the app's name, for logs and (with buildpacks) its build cache
 * @param sourceDir the unpacked source tree; the compiler may change it
 * @param output    receives the build output, one line at a time, as it happens
 */
public record BuildRequest(String app, Path sourceDir, Consumer<String> output) {
    public BuildRequest {
        Objects.requireNonNull(app, "app");
        if (app.isBlank()) {
            throw new IllegalArgumentException("app must not be blank");
        }
        Objects.requireNonNull(sourceDir, "sourceDir");
        Objects.requireNonNull(output, "output");
    }
}
