package dev.slipway.executor.process;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.WaitResponse;
import dev.slipway.docker.FrameLines;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's container, watched from the moment it is known to run (or to have run): its
 * output is followed line by line into {@link AppOutput}; once it has stopped, its exit code and
 * whether the OOM killer struck are read, the container is removed, and only then does
 * {@link #onExit()} complete. A container stopped from outside ({@code docker kill},
 * {@code docker rm -f}) is noticed the same way.
 *
 * <p>Signals go to the container's init ({@code docker-init}, tini), which passes them to the
 * app's process group; once the app's main process has gone, the kernel kills whatever else was
 * left in the container.
 */
final class ContainerProcess implements RunningProcess {
    /** How long the engine may take to attach a client to a container's output. */
    private static final Duration ATTACH_WAIT = Duration.ofSeconds(10);
    /** How long output still in flight may take to arrive once the container has stopped. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);
    /** Between two attempts to learn about the container while the engine does not answer. */
    private static final Duration ENGINE_RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ContainerProcess.class);

    private final DockerClient docker;
    private final String id;
    private final String name;
    private final ScheduledExecutorService killTimer;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private ScheduledFuture<?> pendingKill;
    private long killAtNanos;

    private ContainerProcess(DockerClient docker, String id, String name, ScheduledExecutorService killTimer) {
        this.docker = docker;
        this.id = id;
        this.name = name;
        this.killTimer = killTimer;
    }

    /**
     * Attaches to the output of the container {@code id}, which is about to be started or is
     * running: what it writes from now on goes to {@code output}. Docker's attach rather than its
     * logs endpoint, because a followed log stream of Docker 20.10 often ends before the last lines
     * of a container that stops, while an attached stream ends only once its output is drained.
     *
     * @throws IOException when the engine refuses or does not answer within {@link #ATTACH_WAIT}
     */
    static Output attach(DockerClient docker, String id, String dyno, AppOutput output) throws IOException {
        Output lines = new Output(dyno, output);
        try {
            docker.attachContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).withLogs(false)
                    .exec(lines);
            if (!lines.awaitAttached(ATTACH_WAIT)) {
                closeQuietly(lines);
                throw new IOException("cannot attach to the output of container " + id + ": "
                        + (lines.error != null ? lines.error.getMessage() : "no answer within "
                        + ATTACH_WAIT.toSeconds() + " s"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(lines);
            throw new IOException("interrupted while attaching to container " + id, e);
        } catch (RuntimeException e) {
            // docker-java reports an unreachable engine as a plain RuntimeException.
            closeQuietly(lines);
            throw new IOException("cannot attach to the output of container " + id + ": " + e.getMessage(), e);
        }
        return lines;
    }

    /**
     * Starts watching the container {@code id} until it has stopped and is removed.
     *
     * @param attached its output, from {@link #attach}; null when there is none to follow (a
     *                 container that has ended already)
     */
    static ContainerProcess watch(DockerClient docker, String id, String name, Output attached,
                                  ScheduledExecutorService killTimer) {
        ContainerProcess process = new ContainerProcess(docker, id, name, killTimer);
        Thread watcher = new Thread(() -> process.watchUntilRemoved(attached), "container-" + name);
        watcher.setDaemon(true);
        watcher.start();
        return process;
    }

    @Override
    public String name() {
        return "container " + name;
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit;
    }

    /**
     * The container's own processes must hold the listener: its init (the pid Docker reports) and
     * their descendants, in the container's network namespace ({@code /proc/<init>/net}), which is
     * the host's for a host-network container and its own on a bridge network.
     */
    @Override
    public ListenerOwnership.Holder listenerOn(int port) {
        Long pid;
        try {
            pid = docker.inspectContainerCmd(id).exec().getState().getPidLong();
        } catch (RuntimeException e) {
            return new ListenerOwnership.Holder.Unknown("cannot inspect " + name() + ": " + e.getMessage());
        }
        if (pid == null || pid <= 0) {
            return new ListenerOwnership.Holder.Unknown(name() + " is not running");
        }
        return ProcessHandle.of(pid).map(init -> ListenerOwnership.of(init, port))
                .orElseGet(() -> new ListenerOwnership.Holder.Unknown("the init of " + name()
                        + " is not in this process's view (another pid namespace)"));
    }

    @Override
    public synchronized void terminate(Duration grace) {
        LOG.info("sending SIGTERM to {}, SIGKILL in {} ms", name(), grace.toMillis());
        signal("SIGTERM");
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
    public void kill() {
        if (!exit.isDone()) {
            LOG.info("sending SIGKILL to {}", name());
            signal("SIGKILL");
        }
    }

    @Override
    public ExitStatus exec(String command, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return ContainerCommand.run(docker, id, name(), command, timeout);
    }

    private void killAfterGrace() {
        if (!exit.isDone()) {
            LOG.warn("{} still running after its grace period", name());
            kill();
        }
    }

    private void signal(String signal) {
        try {
            docker.killContainerCmd(id).withSignal(signal).exec();
        } catch (NotFoundException | ConflictException e) {
            // Gone, or no longer running: the watcher reports its exit.
            LOG.debug("{} to {}: {}", signal, name(), e.getMessage());
        } catch (RuntimeException e) {
            // docker-java reports an unreachable engine as a plain RuntimeException.
            LOG.warn("cannot send {} to {}: {}", signal, name(), e.getMessage());
        }
    }

    /** The watcher thread: until the container has stopped, its exit is read and it is removed. */
    private void watchUntilRemoved(Output attached) {
        try {
            Integer waited = awaitStop();
            if (attached != null) {
                awaitOutput(attached);
            }
            ExitStatus status = readExit(waited);
            remove();
            LOG.info("{} {}; removed", name(), status.describe());
            exit.complete(status);
        } catch (RuntimeException e) {
            LOG.error("lost track of {}", name(), e);
            exit.completeExceptionally(e);
        }
    }

    /** Docker's wait, again while the engine does not answer; its exit code, or null when it vanished. */
    private Integer awaitStop() {
        boolean warned = false;
        while (true) {
            Stop stop = new Stop();
            try {
                docker.waitContainerCmd(id).exec(stop).awaitCompletion();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name(), e);
            } catch (RuntimeException e) {
                // docker-java reports an unreachable engine as a plain RuntimeException.
                stop.error = e;
            }
            if (stop.code != null) {
                return stop.code;
            }
            if (stop.error instanceof NotFoundException) {
                return null;
            }
            if (!warned) {
                LOG.warn("waiting for {} failed ({}); trying again", name(),
                        stop.error == null ? "no status code" : stop.error.getMessage());
                warned = true;
            }
            pause();
        }
    }

    private void awaitOutput(Output attached) {
        try {
            if (!attached.awaitCompletion(OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the output of {} did not end within {} ms of its stop", name(), OUTPUT_DRAIN.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(attached);
            attached.flush();
        }
    }

    private ExitStatus readExit(Integer waited) {
        InspectContainerResponse container;
        try {
            container = docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException e) {
            if (waited == null) {
                LOG.warn("{} was removed before its exit code could be read", name());
                return new ExitStatus(-1);
            }
            return new ExitStatus(waited);
        } catch (RuntimeException e) {
            LOG.warn("cannot inspect {} ({}); reporting the exit code of the wait", name(), e.getMessage());
            return new ExitStatus(waited == null ? -1 : waited);
        }
        InspectContainerResponse.ContainerState state = container.getState();
        Long exitCode = state.getExitCodeLong();
        int code = exitCode != null ? exitCode.intValue() : waited != null ? waited : -1;
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
            Long memory = container.getHostConfig() == null ? null : container.getHostConfig().getMemory();
            return ExitStatus.outOfMemory(code, memory == null ? 0 : memory);
        }
        return new ExitStatus(code);
    }

    private void remove() {
        try {
            docker.removeContainerCmd(id).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            LOG.debug("{} was removed already", name());
        } catch (ConflictException e) {
            // Another watcher of the same container (a second start of the task) removes it.
            LOG.debug("{} is being removed already: {}", name(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("cannot remove {} ({}): it stays until orphans are removed or by hand (docker rm {})",
                    name(), e.getMessage(), name);
        }
    }

    private void pause() {
        try {
            Thread.sleep(ENGINE_RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name(), e);
        }
    }

    static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("closing a stream from the engine: {}", e.getMessage());
        }
    }

    /** One wait for the container to stop: its status code, or what went wrong. */
    private static final class Stop extends ResultCallback.Adapter<WaitResponse> {
        private volatile Integer code;
        private volatile Throwable error;

        @Override
        public void onNext(WaitResponse response) {
            code = response.getStatusCode();
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            closeQuietly(this);
        }
    }

    /** Docker's multiplexed output frames to the app's lines, stdout and stderr apart. */
    static final class Output extends ResultCallback.Adapter<Frame> {
        private final FrameLines stdout;
        private final FrameLines stderr;
        private final CompletableFuture<Boolean> attached = new CompletableFuture<>();
        private volatile Throwable error;

        Output(String dyno, AppOutput output) {
            this.stdout = new FrameLines(line -> output.line(dyno, AppOutput.Channel.STDOUT, line), LinePump.MAX_LINE_CHARS);
            this.stderr = new FrameLines(line -> output.line(dyno, AppOutput.Channel.STDERR, line), LinePump.MAX_LINE_CHARS);
        }

        @Override
        public void onNext(Frame frame) {
            (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).accept(frame.getPayload());
        }

        @Override
        public void onStart(Closeable stream) {
            super.onStart(stream);
            attached.complete(true);
        }

        @Override
        public void onError(Throwable throwable) {
            // The stream breaks when the engine goes away; the exit is learnt from the wait.
            LOG.debug("the output stream broke: {}", throwable.toString());
            error = throwable;
            attached.complete(false);
            closeQuietly(this);
        }

        @Override
        public void onComplete() {
            attached.complete(false);
            super.onComplete();
        }

        /** Whether the stream is attached: false when it failed or ended first. */
        boolean awaitAttached(Duration wait) throws InterruptedException {
            try {
                return attached.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }

        void flush() {
            stdout.flush();
            stderr.flush();
        }
    }
}
