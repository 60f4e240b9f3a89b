package dev.slipway.slug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
