package dev.slipway.slug;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.slipway.docker.ContainerUser;
import dev.slipway.docker.HostTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs builds inside a container of the stack image, one container per build: the build dir,
 * cache dir and ENV_DIR are bind-mounted at {@code /tmp/build}, {@code /tmp/cache} and
 * {@code /tmp/env} (read-only), each buildpack (a copy made for the build) under {@code /tmp/buildpacks/}, and every step is a
 * {@code docker exec} in that container, so that a build pays for one container start.
 *
 * <p>The container runs as the stack's non-root build user, with host networking (the package
 * registries are reached as from this machine, through its proxy settings and CA bundles, which
 * are mounted read-only), every capability dropped, {@code no-new-privileges}, memory, CPU and
 * process-count limits, and no Docker socket. It is removed when the build ends, whatever the
 * outcome; a build past its time limit is ended by removing it.
 */
public final class ContainerSandbox implements BuildSandbox {
    static final String STACK = "slipway-stack";
    static final String LABEL = "dev.slipway.build";

    private static final Logger log = LoggerFactory.getLogger(ContainerSandbox.class);

    /**
     * @param memoryBytes memory (and memory plus swap) a build may use
     * @param cpus        CPUs a build may use, e.g. 2.0
     * @param pids        processes and threads a build may have at once
     */
    public record Limits(long memoryBytes, double cpus, long pids) {
        public Limits {
            if (memoryBytes < 64L * 1024 * 1024 || cpus <= 0 || pids < 64) {
                throw new IllegalArgumentException("build limits too small: " + memoryBytes + " bytes, " + cpus
                        + " CPUs, " + pids + " processes");
            }
        }

        /** 2 GB of memory (Maven and npm need about one), every CPU here, 4096 processes. */
        public static Limits defaults() {
            return new Limits(2L * 1024 * 1024 * 1024, Runtime.getRuntime().availableProcessors(), 4096);
        }
    }

    private final DockerClient docker;
    private final String image;
    private final Limits limits;

    /**
     * @throws IllegalArgumentException if the engine has no such image
     */
    public ContainerSandbox(DockerClient docker, String image, Limits limits) {
        this.docker = Objects.requireNonNull(docker, "docker");
        this.image = Objects.requireNonNull(image, "image");
        this.limits = Objects.requireNonNull(limits, "limits");
        try {
            docker.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw new IllegalArgumentException("the Docker engine has no image " + image + ": make it with stack/build",
                    e);
        }
    }

    @Override
    public String description() {
        return "in a container of " + image;
    }

    @Override
    public Session open(Workspace workspace) {
        Map<Path, String> mounts = mounts(workspace);
        ContainerUser ownership = ContainerUser.forThisProcess();
        List<Path> handed = new ArrayList<>(List.of(workspace.build(), workspace.cache(), workspace.env()));
        // The build's copies of its buildpacks: a buildpack may write its export file there.
        workspace.buildpacks().stream().filter(dir -> !dir.startsWith(workspace.build())).forEach(handed::add);
        for (Path dir : handed) {
            try {
                ownership.handOver(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Bind> binds = new ArrayList<>();
        mounts.forEach((host, inside) -> binds.add(new Bind(host.toString(), new Volume(inside),
                // Buildpacks run from copies made for the build, which they may write to (their export file).
                host.equals(workspace.env()) ? AccessMode.ro : AccessMode.rw)));
        binds.addAll(HostTrust.ofThisMachine().binds());
        String name = "slipway-build-" + workspace.app() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id;
        try {
            id = docker.createContainerCmd(image)
                    .withName(name)
                    .withLabels(Map.of(LABEL, workspace.app()))
                    .withUser(ownership.user())
                    .withEnv(environment())
                    .withWorkingDir("/tmp/build")
                    .withCmd("sleep", "infinity")
                    .withHostConfig(HostConfig.newHostConfig()
                            .withNetworkMode("host")
                            .withInit(true)
                            .withBinds(binds)
                            .withMemory(limits.memoryBytes())
                            .withMemorySwap(limits.memoryBytes())
                            .withNanoCPUs((long) (limits.cpus() * 1e9))
                            .withPidsLimit(limits.pids())
                            .withCapDrop(Capability.ALL)
                            .withSecurityOpts(List.of("no-new-privileges")))
                    .exec()
                    .getId();
        } catch (DockerException e) {
            throw new BuildFailed("cannot create the build container from " + image + ": " + e.getMessage(), e);
        }
        ContainerSession session = new ContainerSession(docker, id, mounts, ownership.user(), workspace.limit(),
                workspace.deadline());
        try {
            docker.startContainerCmd(id).exec();
        } catch (DockerException e) {
            session.close();
            throw new BuildFailed("cannot start the build container: " + e.getMessage(), e);
        }
        log.debug("build of {} in container {} ({})", workspace.app(), name, id);
        return session;
    }

    /** Host directory to where the build sees it; buildpacks inside the build dir need no mount. */
    private static Map<Path, String> mounts(Workspace workspace) {
        Map<Path, String> mounts = new LinkedHashMap<>();
        mounts.put(workspace.build(), "/tmp/build");
        mounts.put(workspace.cache(), "/tmp/cache");
        mounts.put(workspace.env(), "/tmp/env");
        int n = 0;
        for (Path buildpack : workspace.buildpacks()) {
            if (!buildpack.startsWith(workspace.build()) && !mounts.containsKey(buildpack)) {
                mounts.put(buildpack, "/tmp/buildpacks/" + n++ + "-" + buildpack.getFileName());
            }
        }
        return mounts;
    }

    /** The image's PATH stays; HOME is /app as at run time, as on Heroku. */
    private static List<String> environment() {
        Map<String, String> env = new LinkedHashMap<>(NetworkSettings.fromEnvironment());
        env.put("HOME", "/app");
        env.put("STACK", STACK);
        env.put("LANG", "C.UTF-8");
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
