package dev.slipway.slug;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A buildpack (Heroku buildpack API v2) on this machine: a directory with executable
 * {@code bin/detect}, {@code bin/compile} and {@code bin/release}.
 *
 * @param name what build output and errors call it: the built-in's name, or the directory path
 */
record Buildpack(String name, Path dir) {
    private static final Pattern BUILT_IN = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    Buildpack {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
    }

    /**
     * The buildpack a reference names: a built-in's name ({@code static}), or a local directory,
     * absolute or relative to the app's root.
     *
     * @throws BuildFailed if there is no such buildpack
     */
    static Buildpack resolve(String reference, Path builtIns, Path appRoot) {
        String ref = reference.strip();
        if (BUILT_IN.matcher(ref).matches()) {
            Path dir = builtIns.resolve(ref);
            if (!Files.isDirectory(dir)) {
                throw new BuildFailed("unknown buildpack " + ref + ": there is no built-in buildpack of that name"
                        + " (give a third-party buildpack as a directory path)");
            }
            return new Buildpack(ref, dir);
        }
        if (ref.contains("://") || ref.startsWith("git@")) {
            throw new BuildFailed("buildpack " + ref + ": only built-in names and local directories are supported yet");
        }
        Path dir = appRoot.resolve(ref).normalize();
        if (!Files.isDirectory(dir)) {
            throw new BuildFailed("buildpack " + ref + " is not a directory");
        }
        return new Buildpack(ref, dir);
    }

    Path bin(String step) {
        return dir.resolve("bin").resolve(step);
    }
}
