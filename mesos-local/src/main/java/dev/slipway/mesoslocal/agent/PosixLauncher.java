package dev.slipway.mesoslocal.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Mesos's posix launcher: the executor starts as the leader of a new session ({@code setsid}), its
 * children inherit the session, and destroying the container kills every process of the session,
 * found by scanning {@code /proc/<pid>/stat}. A process that starts a session of its own
 * ({@code setsid}, a daemon) escapes it: the freezer cgroup ({@link FreezerLauncher}) does not let it.
 * Without {@code setsid} or {@code /proc} (not Linux) it falls back to the executor's process tree
 * as far as it is still attached.
 */
class PosixLauncher implements Launcher {
    private static final Path PROC = Path.of("/proc");
    private static final int ROUNDS = 20;

    private final Path setsid;

    /** @param setsid the {@code setsid} program, or null when there is none */
    PosixLauncher(Path setsid) {
        this.setsid = setsid;
    }

    @Override
    public String kind() {
        return setsid != null && Files.isDirectory(PROC) ? "session" : "process tree";
    }

    @Override
    public List<String> wrap(String containerId, List<String> argv) {
        if (setsid == null) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>();
        wrapped.add(setsid.toString());
        wrapped.addAll(argv);
        return wrapped;
    }

    @Override
    public int destroy(String containerId, long pid, ProcessHandle executor) {
        return killSession(pid, executor);
    }

    /**
     * Kills the session {@code sid} that the executor started (and whatever of the executor's tree is
     * still attached) until none of it is left: a process forked while the first ones were being
     * killed is caught the next round. The kernel does not reuse a pid while it names a live session,
     * so the session id is safe while any member lives; the executor itself is only killed through
     * its handle, which knows its start time. Without a handle (a leftover of an earlier agent) the
     * session is only looked for when no live process has that pid (else the pid was reused).
     */
    static int killSession(long sid, ProcessHandle executor) {
        if (sid <= 0 || (executor == null && ProcessHandle.of(sid).isPresent())) {
            return 0;
        }
        int killed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Set<ProcessHandle> members = new LinkedHashSet<>();
            if (executor != null && executor.isAlive()) {
                members.add(executor);
                executor.descendants().forEach(members::add);
            }
            for (long member : sessionMembers(sid)) {
                if (member != sid) {
                    ProcessHandle.of(member).ifPresent(members::add);
                }
            }
            members.removeIf(p -> p.pid() == ProcessHandle.current().pid() || !p.isAlive());
            if (members.isEmpty()) {
                return killed;
            }
            for (ProcessHandle member : members) {
                if (member.destroyForcibly()) {
                    killed++;
                }
            }
            for (ProcessHandle member : members) {
                try {
                    member.onExit().get(100, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // Not reaped yet (a zombie of a dead parent waits for init): the next round looks again.
                }
            }
        }
        return killed;
    }

    /** The pids whose session is {@code sid}, from {@code /proc/<pid>/stat}; empty without {@code /proc}. */
    static List<Long> sessionMembers(long sid) {
        List<Long> members = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return members;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path proc : procs) {
                long[] ids = stat(proc.resolve("stat"));
                if (ids != null && ids[1] == sid && ids[2] != 'Z') {
                    members.add(ids[0]);
                }
            }
        } catch (IOException e) {
            return members;
        }
        return members;
    }

    /** {pid, session, state} from a {@code stat} file; null when it is gone or unreadable. */
    private static long[] stat(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] rest = text.substring(close + 2).split(" ");
        if (rest.length < 4) {
            return null;
        }
        try {
            long pid = Long.parseLong(text.substring(0, text.indexOf(' ')));
            return new long[] {pid, Long.parseLong(rest[3]), rest[0].charAt(0)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
