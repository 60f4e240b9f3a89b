package dev.slipway.slug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Operations on a directory tree that never follow a symlink out of it. */
public final class FileTree {
    /** As Linux's limit on symlinks followed while resolving one path. */
    static final int MAX_SYMLINK_HOPS = 40;

    private FileTree() {
    }

    /**
     * Resolves {@code relative} inside {@code root} as the kernel would, following the tree's own
     * symlinks, and returns the in-tree path it lands on (relative to root, possibly not
     * existing), or empty if it leaves the tree at any step, meets an absolute symlink, or loops.
     * Checking each symlink this way catches what a lexical check misses: with {@code a -> .},
     * {@code b -> a/..} looks like the root but is its parent.
     */
    static Optional<Path> resolveInside(Path root, Path relative) {
        Deque<String> pending = new ArrayDeque<>(names(relative));
        List<String> resolved = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (resolved.isEmpty()) {
                    return Optional.empty();
                }
                resolved.remove(resolved.size() - 1);
                continue;
            }
            resolved.add(name);
            Path current = root.resolve(String.join("/", resolved));
            if (Files.isSymbolicLink(current)) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    return Optional.empty();
                }
                Path target = readLink(current);
                if (target.isAbsolute()) {
                    return Optional.empty();
                }
                resolved.remove(resolved.size() - 1);
                List<String> targetNames = names(target);
                for (int i = targetNames.size() - 1; i >= 0; i--) {
                    pending.addFirst(targetNames.get(i));
                }
            }
        }
        return Optional.of(Path.of(String.join("/", resolved)));
    }

    /**
     * Copies the tree at {@code from} to {@code to} (which must not exist), keeping permissions;
     * symlinks are copied as links, never followed.
     */
    static void copy(Path from, Path to) {
        try (java.util.stream.Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    /** Deletes {@code root} and everything under it; symlinks are deleted, never followed. */
    public static void delete(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static List<String> names(Path path) {
        List<String> names = new ArrayList<>(path.getNameCount());
        for (Path name : path) {
            names.add(name.toString());
        }
        return names;
    }

    private static Path readLink(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read symlink " + link, e);
        }
    }
}
