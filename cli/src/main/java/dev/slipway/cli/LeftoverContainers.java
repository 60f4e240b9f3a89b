package dev.slipway.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The instance containers a stopped {@code slipway up} leaves behind: its executors are stopped with
 * mesos-local, before they can remove their containers. They are found by the label every instance
 * container carries, {@value #LABEL_FRAMEWORK} (the executor's {@code DockerProcessRunner}), naming
 * the Mesos framework that launched them: only this Slipway's framework's containers are removed,
 * never those of another Slipway on the same Docker engine.
 */
final class LeftoverContainers {
    /** The executor's {@code DockerProcessRunner.LABEL_FRAMEWORK} (the cli does not depend on the executor). */
    static final String LABEL_FRAMEWORK = "dev.slipway.framework";

    private LeftoverContainers() {
    }

    /**
     * Removes (forcibly, running or not) every container labelled as launched by {@code frameworkId};
     * returns their names. A container removed meanwhile by someone else is skipped.
     */
    static List<String> remove(DockerClient docker, String frameworkId) {
        List<String> removed = new ArrayList<>();
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_FRAMEWORK, frameworkId)).exec();
        for (Container container : containers) {
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed.add(nameOf(container));
            } catch (NotFoundException | ConflictException e) {
                // Gone meanwhile, or being removed by its executor.
            }
        }
        return removed;
    }

    private static String nameOf(Container container) {
        String[] names = container.getNames();
        if (names == null || names.length == 0) {
            return container.getId().substring(0, 12);
        }
        return names[0].startsWith("/") ? names[0].substring(1) : names[0];
    }
}
