package dev.slipway.slug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Who a build container runs as, and making its directories theirs. Run as root, Slipway hands the
 * build's directories to the stack's non-root build user (they are root's own otherwise, and a
 * build must never run as root); run as another user, containers run as that user, who already
 * owns them.
 *
 * @param uid the user the container runs as
 * @param gid its group
 * @param chown whether the directories must be handed over first
 */
record Ownership(int uid, int gid, boolean chown) {
    static Ownership forContainers(int stackUid) {
        int uid = attribute("unix:uid");
        if (uid == 0) {
            return new Ownership(stackUid, stackUid, true);
        }
        return new Ownership(uid, attribute("unix:gid"), false);
    }

    String user() {
        return uid + ":" + gid;
    }

    /** Gives every file under {@code roots} to the build user; symlinks themselves, never their targets. */
    void handOver(List<Path> roots) {
        if (!chown) {
            return;
        }
        for (Path root : roots) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        give(dir);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        give(file);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot hand " + root + " to the build user " + user(), e);
            }
        }
    }

    private void give(Path path) throws IOException {
        if ((int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) != uid) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        }
        if ((int) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS) != gid) {
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static int attribute(String name) {
        try {
            return (int) Files.getAttribute(Path.of("/proc/self"), name);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot tell which user this process runs as (" + name + ")", e);
        }
    }
}
