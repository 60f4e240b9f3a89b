package dev.slipway.slug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** Test-data builder of an app's source tree on disk. */
final class AppDir {
    private final Path root;

    private AppDir(Path root) {
        this.root = root;
    }

    static AppDir at(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AppDir(root);
    }

    /**
     * A copy of a source tree (an example's), less what a build of it left there ({@code node_modules},
     * {@code target}); files already in {@code to} are replaced, modes kept.
     */
    static AppDir copyOf(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                if (relative.startsWith("node_modules") || relative.startsWith("target")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new AppDir(to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Procfile app with a web and a worker process, an executable script and a library file. */
    static AppDir procfileApp(Path root) {
        return at(root)
                .file("Procfile", "web: ./bin/start\nworker: ./bin/work\n")
                .executable("bin/start", "#!/bin/sh\nexec python3 -m http.server \"$PORT\"\n")
                .executable("bin/work", "#!/bin/sh\nwhile true; do read x; done\n")
                .file("lib/app.txt", "hello\n");
    }

    AppDir file(String name, String content) {
        return write(name, content.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    }

    AppDir executable(String name, String content) {
        return write(name, content.getBytes(StandardCharsets.UTF_8), "rwxr-xr-x");
    }

    AppDir bytes(String name, byte[] content) {
        return write(name, content, "rw-r--r--");
    }

    AppDir dir(String name) {
        try {
            Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    AppDir symlink(String name, String target) {
        try {
            Path link = root.resolve(name);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Path root() {
        return root;
    }

    private AppDir write(String name, byte[] content, String mode) {
        try {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
