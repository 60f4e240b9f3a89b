package dev.slipway.docker;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Who a container of the stack runs as, builds and instances alike. A process running as root
 * hands the directories it mounts to the stack's user (uid 1000, who owns {@code /app} in the
 * image) and runs the container as that user: they are root's otherwise (the upload, the slug
 * the fetcher unpacked), and neither a build nor an app may run as root. A process running as
 * another user runs containers as itself, who owns them already.
 *
 * @param uid   the user the container runs as
 * @param gid   its group
 * @param chown whether the directories must be handed over first
 */
public record ContainerUser(int uid, int gid, boolean chown) {
    /** The stack image's app user ({@code slipway}), who owns {@code /app}. */
    public static final int STACK_UID = 1000;

    /** For containers started by this process. */
    public static ContainerUser forThisProcess() {
        int uid = attribute("unix:uid");
        if (uid == 0) {
            return new ContainerUser(STACK_UID, STACK_UID, true);
        }
        return new ContainerUser(uid, attribute("unix:gid"), false);
    }

    /** Docker's {@code --user}. */
    public String user() {
        return uid + ":" + gid;
    }

    /**
     * Gives every file under {@code root} to the container's user, symlinks themselves and never
     * their targets (a slug or a source tree may hold a symlink to anywhere).
     */
    public void handOver(Path root) throws IOException {
        if (!chown) {
            return;
        }
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
            throw new IOException("cannot hand " + root + " to the container user " + user() + ": " + e.getMessage(), e);
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
