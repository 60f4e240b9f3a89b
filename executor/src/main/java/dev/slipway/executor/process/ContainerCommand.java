package dev.slipway.executor.process;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command run in a running container beside its app ({@link RunningProcess#exec}): a
 * {@code docker exec}, as the container's user, with its environment and working directory. The
 * engine cannot kill an exec'd process, so coreutils' {@code timeout} (in the stack image) runs
 * the command and kills its process group when its time is up.
 */
final class ContainerCommand {
    /** How long past its timeout a command may take to be killed and its end to reach us. */
    private static final Duration MARGIN = Duration.ofSeconds(3);
    /** What {@code timeout} exits with when it stopped the command; 137 when it had to SIGKILL it. */
    private static final int TIMED_OUT = 124;
    private static final int TIMED_OUT_KILLED = 137;

    private ContainerCommand() {
    }

    /**
     * Runs {@code command} in the container {@code id} (called {@code name} in messages).
     *
     * @throws TimeoutException when it ran out of {@code timeout}
     * @throws IOException      when the container is not running or the engine refuses
     */
    static ExitStatus run(DockerClient docker, String id, String name, String command, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        String seconds = String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0);
        String execId;
        try {
            execId = docker.execCreateCmd(id).withAttachStdout(true).withAttachStderr(true)
                    .withCmd("timeout", "--kill-after=1", seconds, "bash", "-c", PlainProcessRunner.RUNNER_SCRIPT,
                            "slipway-check", command)
                    .exec().getId();
        } catch (NotFoundException | ConflictException e) {
            throw new IOException(name + " is not running", e);
        } catch (RuntimeException e) {
            // docker-java reports an unreachable engine as a plain RuntimeException.
            throw new IOException("cannot exec in " + name + ": " + e.getMessage(), e);
        }
        long started = System.nanoTime();
        // Attached, so that its end can be awaited; what it writes is not wanted.
        ResultCallback.Adapter<Frame> discarded = new ResultCallback.Adapter<>();
        try {
            if (!docker.execStartCmd(execId).exec(discarded)
                    .awaitCompletion(timeout.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("no end within " + timeout.plus(MARGIN).toMillis() + " ms");
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot exec in " + name + ": " + e.getMessage(), e);
        } finally {
            ContainerProcess.closeQuietly(discarded);
        }
        InspectExecResponse exec;
        try {
            exec = docker.inspectExecCmd(execId).exec();
        } catch (RuntimeException e) {
            throw new IOException("cannot read the exit code of an exec in " + name + ": " + e.getMessage(), e);
        }
        Long code = exec.getExitCodeLong();
        if (code == null || Boolean.TRUE.equals(exec.isRunning())) {
            throw new IOException("an exec in " + name + " has no exit code");
        }
        // An app's own command may exit 124 or 137 too: only when its time was used up is it timeout's.
        boolean timeUsedUp = System.nanoTime() - started >= timeout.toNanos();
        if (timeUsedUp && (code == TIMED_OUT || code == TIMED_OUT_KILLED)) {
            throw new TimeoutException("still running after " + timeout.toMillis() + " ms");
        }
        return new ExitStatus(code.intValue());
    }
}
