package dev.slipway.slug;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What a {@link SlugCompiler} builds.
 *
 * @param app       the app's name, for logs and (with buildpacks) its build cache
 * @param sourceDir the unpacked source tree; the compiler may change it
 * @param output    receives the build output, one line at a time, as it happens
 * @param config    the app's config vars, which buildpacks see in their ENV_DIR; names are
 *                  environment variable names ({@code [A-Za-z_][A-Za-z0-9_]*})
 * @param buildpacks the app's buildpacks, in order ({@link BuildpackReference} texts); empty to
 *                  use the app's {@code .buildpacks} file or detection
 */
public record BuildRequest(String app, Path sourceDir, Consumer<String> output, Map<String, String> config,
                           List<String> buildpacks) {
    private static final Pattern CONFIG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public BuildRequest {
        Objects.requireNonNull(app, "app");
        if (app.isBlank()) {
            throw new IllegalArgumentException("app must not be blank");
        }
        Objects.requireNonNull(sourceDir, "sourceDir");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(config, "config");
        config.forEach((name, value) -> {
            if (name == null || !CONFIG_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("config var names are [A-Za-z_][A-Za-z0-9_]*: " + name);
            }
            Objects.requireNonNull(value, () -> "config var " + name + " has no value");
        });
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        buildpacks = List.copyOf(Objects.requireNonNull(buildpacks, "buildpacks"));
        buildpacks.forEach(BuildpackReference::parse);
    }

    /** A request without config vars, detecting its buildpacks. */
    public BuildRequest(String app, Path sourceDir, Consumer<String> output) {
        this(app, sourceDir, output, Map.of(), List.of());
    }
}
