package dev.slipway.mesoslocal.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What earlier runs of the agent left under {@code <workDir>/slaves}, for the garbage collector to
 * schedule at start: every executor directory, every framework directory, and every agent directory
 * but the current agent's, each with its newest modification time (a framework's or agent's being
 * that of its newest sandbox, so that it goes after them). Blocking.
 */
final class SandboxScan {
    /** Depth of a sandbox's files below its executor directory: {@code runs/<container>/stderr}. */
    private static final int EXECUTOR_DEPTH = 3;

    record Found(Path path, Instant modified) {
    }

    private SandboxScan() {
    }

    /** Executor directories first, then frameworks', then agents': nested ones before their parents. */
    static List<Found> scan(Path slaves, String currentAgentId) throws IOException {
        List<Found> executors = new ArrayList<>();
        List<Found> frameworks = new ArrayList<>();
        List<Found> agents = new ArrayList<>();
        for (Path agent : directories(slaves)) {
            Instant agentModified = modified(agent);
            for (Path framework : directories(agent.resolve("frameworks"))) {
                Instant frameworkModified = modified(framework);
                for (Path executor : directories(framework.resolve("executors"))) {
                    Instant executorModified = GarbageCollector.lastModified(executor, EXECUTOR_DEPTH);
                    executors.add(new Found(executor, executorModified));
                    frameworkModified = later(frameworkModified, executorModified);
                }
                frameworks.add(new Found(framework, frameworkModified));
                agentModified = later(agentModified, frameworkModified);
            }
            if (!agent.getFileName().toString().equals(currentAgentId)) {
                agents.add(new Found(agent, agentModified));
            }
        }
        List<Found> found = new ArrayList<>(executors);
        found.addAll(frameworks);
        found.addAll(agents);
        return found;
    }

    private static List<Path> directories(Path parent) throws IOException {
        List<Path> directories = new ArrayList<>();
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return directories;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    directories.add(entry);
                }
            }
        }
        return directories;
    }

    private static Instant modified(Path path) throws IOException {
        return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
