package dev.slipway.slug;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.slipway.docker.FrameLines;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One build's container: each step a {@code docker exec}, its output split into lines as it comes. */
final class ContainerSession implements BuildSandbox.Session {
    /** Longer lines of build output are cut: a step printing no newline cannot fill the heap. */
    private static final int MAX_LINE_BYTES = 64 * 1024;

    private final DockerClient docker;
    private final String container;
    private final Map<Path, String> mounts;
    private final String user;
    private final Duration limit;
    private final long deadlineNanos;

    ContainerSession(DockerClient docker, String container, Map<Path, String> mounts, String user, Duration limit,
                     long deadlineNanos) {
        this.docker = docker;
        this.container = container;
        this.mounts = Map.copyOf(mounts);
        this.user = user;
        this.limit = limit;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public String path(Path hostPath) {
        Path normal = hostPath.toAbsolutePath().normalize();
        return mounts.entrySet().stream()
                .filter(mount -> normal.startsWith(mount.getKey()))
                .max(Comparator.comparingInt(mount -> mount.getKey().getNameCount()))
                .map(mount -> {
                    String rest = mount.getKey().relativize(normal).toString();
                    return rest.isEmpty() ? mount.getValue() : mount.getValue() + "/" + rest;
                })
                .orElseThrow(() -> new IllegalArgumentException(hostPath + " is not inside the build container"));
    }

    @Override
    public int run(List<String> command, Path workDir, Consumer<String> stdout, Consumer<String> stderr)
            throws IOException {
        String exec;
        try {
            exec = docker.execCreateCmd(container)
                    .withCmd(command.toArray(String[]::new))
                    .withWorkingDir(path(workDir))
                    .withUser(user)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec()
                    .getId();
        } catch (DockerException e) {
            throw new IOException("docker exec refused: " + e.getMessage(), e);
        }
        FrameLines out = new FrameLines(stdout, MAX_LINE_BYTES);
        FrameLines err = stderr == null ? out : new FrameLines(stderr, MAX_LINE_BYTES);
        ResultCallback.Adapter<Frame> frames = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                (frame.getStreamType() == StreamType.STDERR ? err : out).accept(frame.getPayload());
            }
        };
        try {
            docker.execStartCmd(exec).exec(frames);
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0 || !frames.awaitCompletion(remaining, TimeUnit.NANOSECONDS)) {
                close();
                throw new BuildFailed("build timed out after " + limit.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new BuildFailed("build interrupted", e);
        }
        out.flush();
        err.flush();
        Long exit = docker.inspectExecCmd(exec).exec().getExitCodeLong();
        if (exit == null) {
            throw new IOException("docker reported no exit code for " + command.get(0));
        }
        return exit.intValue();
    }

    /** Removes the container and whatever still runs in it. */
    @Override
    public void close() {
        try {
            docker.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already gone.
        }
    }
}
