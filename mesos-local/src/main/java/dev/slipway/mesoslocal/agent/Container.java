package dev.slipway.mesoslocal.agent;

import java.nio.file.Path;

/** A launched executor: its container id, sandbox and process. */
record Container(String containerId, Path directory, Process process) {
    /**
     * The process's exit as a wait status, as Mesos reports it: {@code code << 8} for an exit,
     * the signal number for a death by signal (Java reports those as 128 + signal).
     */
    int waitStatus() {
        int exit = process.exitValue();
        return exit > 128 && exit < 160 ? exit - 128 : exit << 8;
    }
}
