package dev.slipway.mesos.procfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** The sockets a process holds open, as the inodes its {@code /proc/<pid>/fd} links name ({@code socket:[N]}). */
public final class ProcessSockets {
    private ProcessSockets() {
    }

    /**
     * The socket inodes of {@code pid}; empty when the process is gone, null when its descriptors
     * cannot be read (another user's process, without root): then nothing can be said of it.
     */
    public static Set<Long> inodes(long pid) {
        return inodes(Path.of("/proc"), pid);
    }

    static Set<Long> inodes(Path proc, long pid) {
        Set<Long> inodes = new HashSet<>();
        Path dir = proc.resolve(Long.toString(pid)).resolve("fd");
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    try {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    } catch (NumberFormatException e) {
                        // not a socket link after all
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return Set.of();
        } catch (IOException | SecurityException e) {
            return Files.exists(dir.getParent()) ? null : Set.of();
        }
        return inodes;
    }

    /**
     * The process that holds the socket {@code inode} open, scanning {@code /proc}; -1 when none can
     * be seen. For messages ("held by another process (pid N)"), not for decisions.
     */
    public static long holderOf(long inode) {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long pid;
                try {
                    pid = Long.parseLong(proc.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                Set<Long> held = inodes(pid);
                if (held != null && held.contains(inode)) {
                    return pid;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
