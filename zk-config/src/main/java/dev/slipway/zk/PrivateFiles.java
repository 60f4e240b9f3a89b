package dev.slipway.zk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner can use: directories 0700, files 0600. Java has no umask,
 * so what Slipway creates for itself is created with these modes, and what exists already is
 * tightened. On a file system without POSIX permissions nothing is changed.
 */
public final class PrivateFiles {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /**
     * Makes {@code dir} (and missing parents, which get the same mode) 0700, or sets an existing one
     * to 0700; returns it. UncheckedIOException if it cannot.
     */
    public static Path directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null && !Files.exists(parent)) {
                    directory(parent);
                }
                if (posix(parent)) {
                    Files.createDirectory(dir, attribute(DIRECTORY));
                } else {
                    Files.createDirectory(dir);
                }
            }
            tighten(dir);
            return dir;
        } catch (FileAlreadyExistsException e) {
            // Made meanwhile by someone else; fine if it is a directory.
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException("cannot make the directory " + dir + ": a file is in the way", e);
            }
            tighten(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Creates a new empty file with mode 0600; FileAlreadyExistsException if it exists. */
    public static Path createFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        return posix(parent) ? Files.createFile(file, attribute(FILE)) : Files.createFile(file);
    }

    /**
     * Writes {@code text} (UTF-8) to {@code file} whole, replacing what it held: written to a 0600
     * file next to it first, then moved over it, so that a reader sees the old text or the new,
     * and nobody else ever sees either.
     */
    public static void replace(Path file, CharSequence text) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next-" + ProcessHandle.current().pid());
        Files.deleteIfExists(next);
        createFile(next);
        try {
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(next);
        }
    }

    /** Sets {@code path} to 0700 (a directory) or 0600 (anything else) if others or the group may use it. */
    public static void tighten(Path path) {
        try {
            if (!posix(path)) {
                return;
            }
            Set<PosixFilePermission> wanted = Files.isDirectory(path) ? DIRECTORY : FILE;
            if (!Files.getPosixFilePermissions(path).equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + path + " private to its owner: " + e.getMessage(), e);
        }
    }

    /** Whether the group or other users may read, write or enter {@code path}. */
    public static boolean readableByOthers(Path path) {
        try {
            return posix(path) && Files.getPosixFilePermissions(path).stream()
                    .anyMatch(p -> !p.name().startsWith("OWNER_"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mode of " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean posix(Path path) {
        return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
