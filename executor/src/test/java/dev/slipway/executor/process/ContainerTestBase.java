package dev.slipway.executor.process;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.docker.DockerEngine;
import dev.slipway.executor.testing.DockerAvailable;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every test of instances in containers starts from: the real engine and the stack image
 * (skipped without an engine, failed under CI), a framework id of the test's own, and none of the
 * test's containers left behind after each test.
 */
abstract class ContainerTestBase {
    static DockerClient docker;
    static String image;
    final String frameworkId = "test-" + UUID.randomUUID();

    @BeforeAll
    static void engineAndImage() throws Exception {
        docker = DockerAvailable.engine();
        image = DockerAvailable.stackImage();
    }

    @AfterAll
    static void closeEngine() {
        if (docker != null) {
            DockerEngine.close(docker);
        }
    }

    @AfterEach
    void removeTheTestsContainers() {
        if (docker != null) {
            DockerAvailable.removeContainers(docker, DockerProcessRunner.LABEL_FRAMEWORK, frameworkId);
        }
    }
}
