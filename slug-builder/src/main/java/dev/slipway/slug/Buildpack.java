package dev.slipway.slug;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A buildpack (Heroku buildpack API v2) on this machine: a directory with executable
 * {@code bin/detect}, {@code bin/compile} and {@code bin/release}.
 *
 * @param name what build output and errors call it: the built-in's name, the directory path or the URL
 */
record Buildpack(String name, Path dir) {
    Buildpack {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
    }

    /**
     * The buildpack a local reference names: a built-in's name ({@code static}), or a directory,
     * absolute or relative to the app's root.
     *
     * @throws BuildFailed if there is no such buildpack
     */
    static Buildpack local(BuildpackReference reference, Path builtIns, Path appRoot) {
        String ref = reference.text();
        if (reference.kind() == BuildpackReference.Kind.BUILT_IN) {
            Path dir = builtIns.resolve(ref);
            if (!Files.isDirectory(dir)) {
                throw new BuildFailed("unknown buildpack " + ref + ": there is no built-in buildpack of that name"
                        + " (give a third-party buildpack as a directory path or a URL)");
            }
            return new Buildpack(ref, dir);
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
