package dev.slipway.mesoslocal.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos's Linux launcher on cgroup v1: each container gets a freezer cgroup,
 * {@code /sys/fs/cgroup/freezer/slipway/<container id>}, the executor is put in it before it runs
 * (a shell writes its own pid to {@code cgroup.procs}, then execs {@code setsid} and the executor),
 * and every process forked from it stays in it whatever it does (a new session, a double fork).
 * Destroying freezes the cgroup so that nothing forks while it is being killed, SIGKILLs every
 * process in it, thaws it so the kills land, waits for it to be empty and removes it. The session
 * is killed too, as {@link PosixLauncher} does, in case the cgroup could not be joined.
 */
final class FreezerLauncher extends PosixLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(FreezerLauncher.class);
    static final Path FREEZER = Path.of("/sys/fs/cgroup/freezer");
    /** Writes its own pid to the cgroup ($0), then becomes the executor in a new session. */
    private static final String JOIN = "echo $$ > \"$0\" || exit 125; exec \"$@\"";

    private final Path root;

    private FreezerLauncher(Path setsid, Path root) {
        super(setsid);
        this.root = root;
    }

    /** The launcher when a cgroup v1 freezer hierarchy is mounted and this process may make cgroups in it. */
    static FreezerLauncher available(Path setsid) {
        Path root = FREEZER.resolve("slipway");
        if (!Files.isRegularFile(FREEZER.resolve("cgroup.procs"))) {
            return null;
        }
        try {
            Files.createDirectories(root);
            Path probe = Files.createDirectory(root.resolve("probe-" + ProcessHandle.current().pid() + "-"
                    + System.nanoTime()));
            Files.delete(probe);
            removeEmpty(root);
            return new FreezerLauncher(setsid, root);
        } catch (IOException | SecurityException e) {
            LOG.debug("No freezer cgroups for executors ({}): sessions then", e.toString());
            return null;
        }
    }

    /**
     * Removes the empty cgroups agents left behind (an agent killed with SIGKILL never removes those of
     * its executors): only those older than a minute, so that one another agent has just made, and
     * not joined yet, stays. A cgroup with a process in it cannot be removed anyway.
     */
    private static void removeEmpty(Path root) {
        long before = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(1);
        try (var cgroups = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path cgroup : cgroups) {
                try {
                    if (Files.getLastModifiedTime(cgroup).toMillis() < before && pids(cgroup).isEmpty()) {
                        Files.delete(cgroup);
                    }
                } catch (IOException e) {
                    // In use, or gone meanwhile.
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot look for empty cgroups under {}: {}", root, e.toString());
        }
    }

    @Override
    public String kind() {
        return "freezer cgroup";
    }

    @Override
    public List<String> wrap(String containerId, List<String> argv) {
        Path cgroup = root.resolve(containerId);
        try {
            Files.createDirectories(cgroup);
        } catch (IOException e) {
            LOG.warn("Cannot make the freezer cgroup {} ({}): container {} runs in a session only", cgroup,
                    e.toString(), containerId);
            return super.wrap(containerId, argv);
        }
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", JOIN, cgroup.resolve("cgroup.procs").toString()));
        wrapped.addAll(super.wrap(containerId, argv));
        return wrapped;
    }

    @Override
    public int destroy(String containerId, long pid, ProcessHandle executor) {
        Path cgroup = root.resolve(containerId);
        int killed = 0;
        if (Files.isDirectory(cgroup)) {
            try {
                killed += killCgroup(cgroup);
            } catch (NoSuchFileException e) {
                // Destroyed meanwhile (a shutdown's destroy and the exit's): nothing left.
            } catch (IOException e) {
                LOG.warn("Cannot empty the freezer cgroup {}: {}", cgroup, e.toString());
            }
        }
        return killed + killSession(pid, executor);
    }

    private static int killCgroup(Path cgroup) throws IOException {
        Path state = cgroup.resolve("freezer.state");
        int killed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Files.writeString(state, "FROZEN");
            List<Long> pids = pids(cgroup);
            for (long pid : pids) {
                if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
                    killed++;
                }
            }
            Files.writeString(state, "THAWED");
            if (pids.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("processes " + pids + " are still in it after 10 s");
            }
            awaitExit(pids);
        }
        try {
            Files.delete(cgroup);
        } catch (NoSuchFileException e) {
            // Removed already.
        } catch (IOException e) {
            LOG.debug("Cannot remove the cgroup {} yet: {}", cgroup, e.toString());
        }
        return killed;
    }

    private static void awaitExit(List<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(100, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // Looked at again next round.
                }
            });
        }
    }

    private static List<Long> pids(Path cgroup) throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }
}
