package dev.slipway.mesoslocal.agent;

import dev.slipway.mesoslocal.fetcher.FetchException;
import dev.slipway.mesoslocal.fetcher.Fetcher;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs executors as child processes, like Mesos's containerizer with no isolation but a launcher:
 * makes the sandbox, fetches the URIs into it, and starts the command there, inside a unit of its
 * own ({@link Launcher}: a freezer cgroup, else a session), with stdout and stderr going to the
 * sandbox files {@code stdout} and {@code stderr}. Destroying a container kills the whole unit, the
 * processes the executor started included, even once the executor itself is dead. All of it
 * happens on a worker pool, never on an event loop.
 */
final class Containerizer {
    private static final Logger LOG = LoggerFactory.getLogger(Containerizer.class);
    static final Set<PosixFilePermission> SANDBOX_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OUTPUT_MODE = PosixFilePermissions.fromString("rw-------");

    private final WorkerExecutor workers;
    private final Fetcher fetcher;
    private final Launcher launcher;
    /** Every container not destroyed yet, by id; read from any thread. */
    private final Map<String, ProcessHandle> live = new ConcurrentHashMap<>();

    Containerizer(WorkerExecutor workers, Fetcher fetcher, Launcher launcher) {
        this.workers = workers;
        this.fetcher = fetcher;
        this.launcher = launcher;
        LOG.info("Executors run each in a {} of their own, killed as a whole when they exit", launcher.kind());
    }

    Launcher launcher() {
        return launcher;
    }

    /** Why a container could not start; the message is what Mesos puts after "Failed to launch container: ". */
    static final class LaunchException extends Exception {
        LaunchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Launches {@code command} in a new sandbox. The future fails with a {@link LaunchException}
     * when the sandbox, a URI or the process cannot be had.
     */
    Future<Container> launch(String containerId, Path directory, CommandInfo command, Map<String, String> env) {
        return workers.executeBlocking(() -> start(containerId, directory, command, env), false);
    }

    private Container start(String containerId, Path directory, CommandInfo command, Map<String, String> env)
            throws LaunchException, InterruptedException {
        Path stdout = directory.resolve("stdout");
        Path stderr = directory.resolve("stderr");
        try {
            Files.createDirectories(directory);
            // The sandbox holds the slug and the app's output: no other user may enter it (an app
            // running under its own user gets its slug moved out to a home of its own).
            Files.setPosixFilePermissions(directory, SANDBOX_MODE);
            linkLatest(directory);
            Files.write(stdout, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.write(stderr, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.setPosixFilePermissions(stdout, OUTPUT_MODE);
            Files.setPosixFilePermissions(stderr, OUTPUT_MODE);
        } catch (IOException e) {
            throw new LaunchException("Failed to create sandbox '" + directory + "': " + e.getMessage(), e);
        }
        try (Writer log = Files.newBufferedWriter(stderr, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            // Executors run as this process's user (Mesos's --switch_user=false): only the command's own
            // user counts, for the fetcher cache.
            String user = command.hasUser() ? command.getUser() : null;
            fetcher.fetch(command.getUrisList(), directory, user, line -> {
                try {
                    log.write(line + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (FetchException e) {
            throw new LaunchException(e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new LaunchException("Failed to write the fetcher's log in '" + directory + "': " + e.getMessage(), e);
        }
        ProcessBuilder builder = new ProcessBuilder(launcher.wrap(containerId, argv(command)))
                .directory(directory.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            ProcessHandle handle = process.toHandle();
            live.put(containerId, handle);
            LOG.debug("Started container {} as process {}", containerId, process.pid());
            return new Container(containerId, directory, handle, process);
        } catch (IOException e) {
            throw new LaunchException("Failed to start the executor command: " + e.getMessage(), e);
        }
    }

    /**
     * Mesos's command semantics: with {@code shell} (the default) the value runs through
     * {@code /bin/sh -c}; without, the value is the program and {@code arguments} its whole argv,
     * argv[0] included.
     */
    static List<String> argv(CommandInfo command) {
        if (command.getShell()) {
            return List.of("/bin/sh", "-c", command.getValue());
        }
        List<String> argv = new ArrayList<>();
        argv.add(command.getValue());
        if (command.getArgumentsCount() > 1) {
            argv.addAll(command.getArgumentsList().subList(1, command.getArgumentsCount()));
        }
        return argv;
    }

    /**
     * Kills the executor and everything in its unit, at once (Mesos destroys the container); also
     * after the executor has exited, for what it left behind. The future completes once they are gone.
     */
    Future<Integer> destroy(Container container) {
        return workers.executeBlocking(() -> destroyNow(container.containerId(), container.handle()), false);
    }

    /**
     * Kills what is left in the unit of a container whose executor process is gone or unknown (after a
     * restart): {@code pid} was the executor's, -1 when unknown.
     */
    Future<Integer> destroyLeftovers(String containerId, long pid) {
        return workers.executeBlocking(() -> launcher.destroy(containerId, pid, null), false);
    }

    /** Takes a container recovered after a restart into the containers to destroy. */
    void adopt(Container container) {
        live.put(container.containerId(), container.handle());
    }

    /** Kills every container not destroyed yet, now; safe from any thread (a JVM shutdown hook). */
    void killAll() {
        live.forEach(this::destroyNow);
    }

    private int destroyNow(String containerId, ProcessHandle executor) {
        int killed = launcher.destroy(containerId, executor.pid(), executor);
        live.remove(containerId);
        if (killed > 0) {
            LOG.info("Destroyed container {}: killed {} process(es) of its {}", containerId, killed, launcher.kind());
        }
        return killed;
    }

    private static void linkLatest(Path directory) {
        Path latest = directory.resolveSibling("latest");
        try {
            Files.deleteIfExists(latest);
            Files.createSymbolicLink(latest, directory.getFileName());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Could not link {} to the latest run: {}", latest, e.toString());
        }
    }
}
