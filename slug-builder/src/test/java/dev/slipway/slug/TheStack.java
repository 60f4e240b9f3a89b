package dev.slipway.slug;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.docker.DockerEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Docker engine and the stack image for a test class that builds in the stack, registered as
 * {@code @RegisterExtension static final TheStack STACK = new TheStack();}: the class is skipped
 * where no engine answers (see {@link DockerAvailable}), and the engine's client is closed after it.
 */
final class TheStack implements BeforeAllCallback, AfterAllCallback {
    static final Path BUILT_INS = Path.of("").toAbsolutePath().getParent().resolve("buildpacks");

    private DockerClient docker;
    private String image;

    @Override
    public void beforeAll(ExtensionContext context) {
        docker = DockerAvailable.engine();
        image = DockerAvailable.stackImage();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (docker != null) {
            DockerEngine.close(docker);
        }
    }

    DockerClient docker() {
        return docker;
    }

    String image() {
        return image;
    }

    /** The built-in buildpacks, run in stack containers with the default limits, keeping builds in data. */
    BuildpackCompiler builtIns(Path data) {
        return new BuildpackCompiler(new SlugStore(data), data, BUILT_INS,
                new ContainerSandbox(docker, image, ContainerSandbox.Limits.defaults()));
    }
}
