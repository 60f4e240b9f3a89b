package dev.slipway.executor.process;

import dev.slipway.executor.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts an instance's process from its unpacked slug the way Heroku's slug runner does:
 * working directory and {@code HOME} the app directory, {@code PORT}, {@code DYNO} and the config
 * vars in the environment, {@code .profile.d/*.sh} sourced, then the command {@code exec}ed
 * through {@code bash -c}. Implementations: a plain host process ({@link PlainProcessRunner});
 * a Docker container comes next.
 */
public interface ProcessRunner {
    /**
     * Starts {@code spec}'s command in {@code appDir}.
     *
     * @throws IOException when the process cannot be started at all; the message says why
     */
    RunningProcess start(TaskSpec spec, Path appDir) throws IOException;
}
