package dev.slipway.mesoslocal.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an executor and everything it starts live: a unit the agent can kill as a whole, as
 * Mesos's launchers give each container one (the posix launcher a session, the Linux launcher a
 * freezer cgroup). The executor is started inside it, every process it forks stays inside it (the
 * executor must not move its app out), and {@link #destroy} kills them all, the app processes of a
 * SIGKILLed executor included, which {@link ProcessHandle#descendants()} no longer finds once they
 * are reparented. Methods block: call them on a worker.
 */
interface Launcher {
    /** Which kind of unit, for logs and docs: "freezer cgroup", "session", "process tree". */
    String kind();

    /** The command line that runs {@code argv} inside the new unit of {@code containerId}; same pid. */
    List<String> wrap(String containerId, List<String> argv);

    /**
     * Kills every process of the unit of {@code containerId}, whose first process (the executor) had
     * pid {@code pid}, and waits (briefly) for them to be gone; then removes the unit. Safe for a unit
     * already empty or never made. {@code executor} is that process's handle when this agent started
     * or recovered it (a handle knows its start time, so a reused pid is never taken for it), null for
     * a leftover of an earlier agent. Returns how many processes it killed.
     */
    int destroy(String containerId, long pid, ProcessHandle executor);

    /** The best unit this machine allows: a freezer cgroup (Linux, cgroup v1, root), else a session, else a tree. */
    static Launcher choose() {
        Path setsid = setsid();
        if (setsid == null) {
            return new PosixLauncher(null);
        }
        FreezerLauncher freezer = FreezerLauncher.available(setsid);
        return freezer != null ? freezer : new PosixLauncher(setsid);
    }

    /** util-linux {@code setsid}, which starts its command in a new session without forking. */
    private static Path setsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
