package dev.slipway.executor.process;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Starts an instance's process from its unpacked slug the way Heroku's slug runner does:
 * working directory and {@code HOME} the app directory, {@code PORT}, {@code DYNO} and the config
 * vars in the environment, {@code .profile.d/*.sh} sourced, then the command {@code exec}ed
 * through {@code bash -c}. Implementations: a plain host process ({@link PlainProcessRunner}) and
 * a Docker container of the stack image ({@link DockerProcessRunner}); {@link RunnerChoice} picks
 * one per instance.
 */
public interface ProcessRunner {
    /**
     * Starts {@code instance}'s command in its app directory.
     *
     * @throws IOException when the process cannot be started at all; the message says why
     */
    RunningProcess start(Instance instance) throws IOException;

    /**
     * Removes what instances of tasks no longer live left running: the framework's list of its
     * live tasks as of {@code launchedBefore} says which are. Not a default method: a wrapper
     * that forgot to pass it on would quietly remove nothing.
     *
     * @return what was removed, by name
     * @throws IOException when what runs cannot be listed
     */
    List<String> removeOrphans(Set<String> liveTaskIds, Instant launchedBefore) throws IOException;
}
