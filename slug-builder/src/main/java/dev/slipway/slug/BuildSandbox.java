package dev.slipway.slug;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the steps of a build run: as processes on this machine ({@link HostSandbox}), or inside a
 * container of the stack image ({@link ContainerSandbox}). The buildpacks are the same either way;
 * only the runtimes they find differ.
 */
public interface BuildSandbox {
    /**
     * Prepares one build's sandbox around its directories; the build's time limit starts now.
     *
     * @throws BuildFailed if the sandbox cannot be made (the Docker engine refuses, ...)
     */
    Session open(Workspace workspace);

    /** For build output and logs, e.g. {@code on this machine}. */
    String description();

    /** One build's sandbox; closing it ends whatever still runs in it. */
    interface Session extends AutoCloseable {
        /** How the build's steps see {@code hostPath}, which must be inside the workspace. */
        String path(Path hostPath);

        /**
         * Runs one step and returns its exit code.
         *
         * @param stderr where error lines go; null to merge them into {@code stdout}, keeping the order
         * @throws IOException if the command cannot be started
         * @throws BuildFailed if the build's time runs out (the step is killed first) or the
         *                     building thread is interrupted
         */
        int run(List<String> command, Path workDir, Consumer<String> stdout, Consumer<String> stderr)
                throws IOException;

        @Override
        void close();
    }
}
