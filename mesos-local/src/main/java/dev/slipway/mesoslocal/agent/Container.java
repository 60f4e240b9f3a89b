package dev.slipway.mesoslocal.agent;

import java.nio.file.Path;

/**
 * A launched executor: its container id, sandbox and process. {@code process} is null for a
 * container recovered after a restart, whose process is no child of this one.
 */
record Container(String containerId, Path directory, ProcessHandle handle, Process process) {
    /**
     * The process's exit as a wait status, as Mesos reports it: {@code code << 8} for an exit,
     * the signal number for a death by signal (Java reports those as 128 + signal); -1 when
     * unknown (a recovered process).
     */
    int waitStatus() {
        if (process == null) {
            return -1;
        }
        int exit = process.exitValue();
        return exit > 128 && exit < 160 ? exit - 128 : exit << 8;
    }
}
