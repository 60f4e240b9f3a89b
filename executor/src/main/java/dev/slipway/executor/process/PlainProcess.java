package dev.slipway.executor.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host process and its descendants. The tree is read from {@link ProcessHandle#descendants()}
 * whenever it is signalled and remembered, so that children that outlive the main process still get
 * their SIGKILL; descendants that detached before being seen (daemons reparented to init) escape,
 * which is what the Mesos container (or Docker, later) is there for.
 */
final class PlainProcess implements RunningProcess {
    private static final Logger LOG = LoggerFactory.getLogger(PlainProcess.class);

    private final Process process;
    private final ScheduledExecutorService killTimer;
    private final CompletableFuture<ExitStatus> exit;
    private final Path appDir;
    private final Map<String, String> environment;
    private final List<String> launcher;
    private final Set<ProcessHandle> known = new LinkedHashSet<>();
    private ScheduledFuture<?> pendingKill;
    private long killAtNanos;

    /**
     * @param appDir      the app's working directory
     * @param environment the app's environment: {@link #exec} runs commands with it
     * @param launcher    what runs a command as the app's user ({@link AppUsers#launcher}); empty: as this one
     */
    PlainProcess(Process process, ScheduledExecutorService killTimer, Path appDir, Map<String, String> environment,
                 List<String> launcher) {
        this(process, killTimer, appDir, environment, launcher, List.of());
    }

    /**
     * The same, whose exit is told once {@code pumps} (the threads reading its output) have read
     * its last lines, {@link #PUMPS_WAIT} at most (a child it left behind may hold its pipes open).
     */
    PlainProcess(Process process, ScheduledExecutorService killTimer, Path appDir, Map<String, String> environment,
                 List<String> launcher, List<Thread> pumps) {
        this.process = process;
        this.killTimer = killTimer;
        this.appDir = appDir;
        this.environment = Map.copyOf(environment);
        this.launcher = List.copyOf(launcher);
        this.exit = process.onExit().thenApplyAsync(p -> {
            long deadline = System.nanoTime() + PUMPS_WAIT.toNanos();
            for (Thread pump : pumps) {
                try {
                    pump.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new ExitStatus(p.exitValue());
        });
    }

    /** The longest the exit waits for the last lines of output to be read. */
    static final java.time.Duration PUMPS_WAIT = java.time.Duration.ofSeconds(2);

    @Override
    public String name() {
        return "pid " + process.pid();
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit;
    }

    @Override
    public synchronized void terminate(Duration grace) {
        Set<ProcessHandle> tree = refreshTree();
        LOG.info("sending SIGTERM to {} ({} processes), SIGKILL in {} ms", name(), tree.size(), grace.toMillis());
        tree.forEach(ProcessHandle::destroy);
        long killAt = System.nanoTime() + grace.toNanos();
        if (pendingKill == null || killAt - killAtNanos < 0) {
            if (pendingKill != null) {
                pendingKill.cancel(false);
            }
            killAtNanos = killAt;
            pendingKill = killTimer.schedule(this::killAfterGrace, grace.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public synchronized void kill() {
        Set<ProcessHandle> alive = refreshTree();
        if (!alive.isEmpty()) {
            LOG.info("sending SIGKILL to {}: {}", name(), pids(alive));
            alive.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The app's main process and its descendants must hold the listener (see {@link ListenerOwnership}). */
    @Override
    public ListenerOwnership.Holder listenerOn(int port) {
        return ListenerOwnership.of(process.toHandle(), port);
    }

    @Override
    public ExitStatus exec(String command, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(PlainProcessRunner.command(launcher, "slipway-check", command))
                .directory(appDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process check;
        try {
            check = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot start bash: " + e.getMessage(), e);
        }
        check.getOutputStream().close();
        try {
            if (!check.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                destroyForcibly(check);
                throw new TimeoutException("still running after " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            destroyForcibly(check);
            throw e;
        }
        return new ExitStatus(check.exitValue());
    }

    /** Kills the command and what it started, read before anything is killed (orphans would escape). */
    private static void destroyForcibly(Process check) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(check.toHandle());
        check.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private void killAfterGrace() {
        synchronized (this) {
            if (!refreshTree().isEmpty()) {
                LOG.warn("{} still running after its grace period", name());
            }
        }
        kill();
    }

    /** The main process and its descendants, as far as they are alive and known; remembers new ones. */
    private Set<ProcessHandle> refreshTree() {
        ProcessHandle main = process.toHandle();
        if (main.isAlive()) {
            known.add(main);
            // Parents before children: the snapshot is taken before anything is signalled.
            main.descendants().forEach(known::add);
        }
        known.removeIf(handle -> !handle.isAlive());
        return new LinkedHashSet<>(known);
    }

    private static String pids(Set<ProcessHandle> handles) {
        return handles.stream().map(h -> Long.toString(h.pid())).collect(Collectors.joining(" "));
    }
}
