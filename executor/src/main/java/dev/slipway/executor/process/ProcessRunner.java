package dev.slipway.executor.process;

import java.io.IOException;

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
}
