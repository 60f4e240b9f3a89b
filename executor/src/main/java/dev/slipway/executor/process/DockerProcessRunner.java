package dev.slipway.executor.process;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.slipway.docker.ContainerUser;
import dev.slipway.docker.HostTrust;
import dev.slipway.executor.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each instance in its own Docker container of the image its task names (the stack image),
 * with the slug the Mesos fetcher unpacked bind-mounted at {@code /app}, and everything else as
 * {@link PlainProcessRunner} does it: the same environment (the spec's, {@code HOME=/app},
 * {@code PORT}, {@code DYNO}; nothing of the executor's or the host's), the same
 * {@link PlainProcessRunner#RUNNER_SCRIPT}.
 *
 * <p>A container is named {@code slipway-<app>-<process>.<index>-<last 8 characters of the task id>}
 * and labelled ({@link #LABEL_APP}, {@link #LABEL_PROCESS}, {@link #LABEL_DYNO},
 * {@link #LABEL_RELEASE}, {@link #LABEL_TASK_ID}, {@link #LABEL_FRAMEWORK}) so that {@code docker ps}
 * tells an operator what runs. It runs in its own network namespace on {@link InstanceNetwork}
 * (a bridge whose containers cannot reach each other, nor, by {@link HostFirewall}, the host), with
 * the instance's {@code $PORT} published on the host at the same number ({@link #publishIpFor}), as
 * the stack's non-root user, under {@code docker-init}, with every capability dropped,
 * {@code no-new-privileges}, a read-only root filesystem ({@code /app} and a {@code /tmp} tmpfs are
 * writable), a pids limit, and the task's memory (swap included) and CPU limits when it has them.
 * The app must listen on {@code 0.0.0.0} (or {@code ::}) in its container: a listener on its
 * loopback is not reachable through the published port.
 *
 * <p>Starting a task whose container exists already (an executor started again for its task)
 * re-attaches to it instead of starting another; {@link #removeOrphans} removes containers whose
 * task is gone.
 */
public final class DockerProcessRunner implements ProcessRunner {
    public static final String LABEL_APP = "dev.slipway.app";
    public static final String LABEL_PROCESS = "dev.slipway.process";
    public static final String LABEL_DYNO = "dev.slipway.dyno";
    public static final String LABEL_RELEASE = "dev.slipway.release";
    public static final String LABEL_TASK_ID = "dev.slipway.task-id";
    /** The Mesos framework that launched the task: orphans are looked for among its containers only. */
    public static final String LABEL_FRAMEWORK = "dev.slipway.framework";
    /** When the framework launched the task (ms since the epoch, its clock); see {@link #removeOrphans}. */
    public static final String LABEL_LAUNCHED_AT = "dev.slipway.launched-at";
    /** Processes and threads an instance may have at once: a fork bomb stops here. */
    static final long PIDS_LIMIT = 1024;
    static final String APP_DIR = "/app";
    private static final int TASK_ID_SUFFIX = 8;
    private static final long MB = 1024 * 1024;
    /** docker-init (tini) signals the app's whole process group, as the plain runner signals its tree. */
    private static final String SIGNAL_THE_GROUP = "TINI_KILL_PROCESS_GROUP=1";
    private static final Logger LOG = LoggerFactory.getLogger(DockerProcessRunner.class);

    private final DockerClient docker;
    private final AppOutput output;
    private final String frameworkId;
    private final ContainerUser user;
    private final ScheduledExecutorService killTimer;
    private final HostTrust trust = HostTrust.ofThisMachine();
    private final String publishIp;
    private final HostFirewall firewall;

    /**
     * @param docker      a client of the engine (from {@code DockerEngine.find()})
     * @param output      where the app's output lines go
     * @param frameworkId the Mesos framework whose tasks this runs ({@code MESOS_FRAMEWORK_ID})
     * @param publishIp   the host address instances' ports are published on: {@code 127.0.0.1} when
     *                    the router and the agent are on this machine's loopback (mesos-local),
     *                    {@code 0.0.0.0} on a cluster's agent ({@link #publishIpFor})
     * @param firewall    keeps the instances from reaching the host
     */
    public DockerProcessRunner(DockerClient docker, AppOutput output, String frameworkId, String publishIp,
                               HostFirewall firewall) {
        this.docker = Objects.requireNonNull(docker, "docker");
        this.output = Objects.requireNonNull(output, "output");
        if (frameworkId == null || frameworkId.isBlank()) {
            throw new IllegalArgumentException("frameworkId must not be blank");
        }
        this.frameworkId = frameworkId;
        if (!"127.0.0.1".equals(publishIp) && !"0.0.0.0".equals(publishIp)) {
            // Health checks connect to 127.0.0.1:PORT: a port published on one other address only fails them.
            throw new IllegalArgumentException("publishIp must be 127.0.0.1 or 0.0.0.0, not " + publishIp);
        }
        this.publishIp = publishIp;
        this.firewall = Objects.requireNonNull(firewall, "firewall");
        this.user = ContainerUser.forThisProcess();
        this.killTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "container-kill-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Where the ports of instances launched by the agent at {@code agentHost} (the host of
     * {@code MESOS_AGENT_ENDPOINT}) are published: on loopback when the agent is on loopback (the
     * router then reaches instances at 127.0.0.1, and nothing else on the network should), on every
     * address of the host otherwise (the router reaches the agent by its hostname).
     */
    public static String publishIpFor(String agentHost) {
        String host = agentHost.startsWith("[") ? agentHost.substring(1, agentHost.length() - 1) : agentHost;
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
        return loopback ? "127.0.0.1" : "0.0.0.0";
    }

    /**
     * Starts the instance's container, or re-attaches to it when it exists already (found by its
     * task id): a running one is watched again, one that has ended is reported as ended (its exit
     * read, then removed). Containers of the framework's ended tasks ({@link TaskSpec#endedTaskIds()})
     * are removed first.
     *
     * @throws IOException when the slug is missing, the engine has no such image, or the engine
     *                     refuses the container; the message says which
     */
    @Override
    public RunningProcess start(Instance instance) throws IOException {
        TaskSpec spec = instance.spec();
        if (spec.image() == null) {
            throw new IllegalArgumentException("task " + instance.taskId() + " names no image to run in");
        }
        List<Container> existing = new ArrayList<>();
        Set<String> ended = Set.copyOf(spec.endedTaskIds());
        List<Container> orphans = new ArrayList<>();
        for (Container container : containersOf(Map.of(LABEL_FRAMEWORK, frameworkId))) {
            String taskId = container.getLabels().get(LABEL_TASK_ID);
            if (instance.taskId().equals(taskId)) {
                existing.add(container);
            } else if (taskId != null && ended.contains(taskId)) {
                orphans.add(container);
            }
        }
        // Before this instance starts: an orphan may hold the port it was given.
        remove(orphans, "its task has ended");
        if (!existing.isEmpty()) {
            return reattach(instance, existing);
        }
        return create(instance);
    }

    /**
     * Removes (forcibly, running or not) this framework's containers whose task is neither among
     * {@code liveTaskIds} nor launched at or after {@code launchedBefore}: those an executor left
     * behind when it died. The set must hold every live task of the framework as of
     * {@code launchedBefore} (by the framework's clock), not only the caller's own; a task launched
     * since is spared, as the set could not know it. Containers without a launch time are judged
     * by the set alone.
     *
     * @return the names of the containers removed
     * @throws IOException when the engine cannot list its containers
     */
    @Override
    public List<String> removeOrphans(Set<String> liveTaskIds, Instant launchedBefore) throws IOException {
        long listMadeMs = launchedBefore.toEpochMilli();
        List<Container> orphans = new ArrayList<>();
        for (Container container : containersOf(Map.of(LABEL_FRAMEWORK, frameworkId))) {
            Map<String, String> labels = container.getLabels();
            String taskId = labels.get(LABEL_TASK_ID);
            if ((taskId == null || !liveTaskIds.contains(taskId)) && launchedAtMs(labels) < listMadeMs) {
                orphans.add(container);
            }
        }
        return remove(orphans, "its task is not live");
    }

    /** Removes orphan containers, running or not; the names of those removed. */
    private List<String> remove(List<Container> orphans, String why) throws IOException {
        List<String> removed = new ArrayList<>();
        for (Container container : orphans) {
            Map<String, String> labels = container.getLabels();
            String name = nameOf(container);
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                LOG.info("removed orphan container {} of {} {} v{} (task {}): {}", name, labels.get(LABEL_APP),
                        labels.get(LABEL_DYNO), labels.get(LABEL_RELEASE), labels.get(LABEL_TASK_ID), why);
                removed.add(name);
            } catch (NotFoundException | ConflictException e) {
                // Removed meanwhile by its own watcher, or being removed.
                LOG.debug("orphan {} went by itself: {}", name, e.getMessage());
            } catch (RuntimeException e) {
                throw new IOException("cannot remove the orphan container " + name + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    /** The launch time on a container's labels (ms since the epoch); 0 when it has none (or a garbled one). */
    private static long launchedAtMs(Map<String, String> labels) {
        try {
            return Long.parseLong(labels.getOrDefault(LABEL_LAUNCHED_AT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code slipway-hello-web.1-3f2a9c01}: what {@code docker ps} shows. */
    static String containerName(Instance instance) {
        TaskSpec spec = instance.spec();
        String taskId = instance.taskId();
        String suffix = taskId.substring(Math.max(0, taskId.length() - TASK_ID_SUFFIX));
        return ("slipway-" + spec.app() + "-" + spec.dyno() + "-" + suffix).replaceAll("[^a-zA-Z0-9_.-]", "-");
    }

    static Map<String, String> labels(Instance instance, String frameworkId) {
        TaskSpec spec = instance.spec();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_APP, spec.app());
        labels.put(LABEL_PROCESS, spec.process());
        labels.put(LABEL_DYNO, spec.dyno());
        labels.put(LABEL_RELEASE, Integer.toString(spec.release()));
        labels.put(LABEL_TASK_ID, instance.taskId());
        labels.put(LABEL_FRAMEWORK, frameworkId);
        if (spec.launchedAtMs() > 0) {
            labels.put(LABEL_LAUNCHED_AT, Long.toString(spec.launchedAtMs()));
        }
        return labels;
    }

    /**
     * The plain runner's environment, with {@code HOME=/app}; of the executor's own, only the
     * variables naming CA files, which are mounted (the app's config vars win). The image adds its PATH.
     */
    static List<String> environment(TaskSpec spec, HostTrust trust) {
        List<String> env = new ArrayList<>();
        PlainProcessRunner.environment(spec, Path.of(APP_DIR), trust.variables())
                .forEach((name, value) -> env.add(name + "=" + value));
        env.add(SIGNAL_THE_GROUP);
        return env;
    }

    private RunningProcess create(Instance instance) throws IOException {
        TaskSpec spec = instance.spec();
        Path appDir = instance.appDir().toAbsolutePath();
        if (!Files.isDirectory(appDir)) {
            throw new IOException("the slug is not unpacked: " + appDir + " is not a directory");
        }
        user.handOver(appDir);
        String network = InstanceNetwork.ensure(docker, firewall);
        String name = containerName(instance);
        String id;
        try {
            id = docker.createContainerCmd(spec.image())
                    .withName(name)
                    .withExposedPorts(exposedPorts(spec))
                    .withLabels(labels(instance, frameworkId))
                    .withUser(user.user())
                    .withEnv(environment(spec, trust))
                    .withWorkingDir(APP_DIR)
                    .withCmd("bash", "-c", PlainProcessRunner.RUNNER_SCRIPT, "slipway-runner", spec.command())
                    .withHostConfig(hostConfig(spec, appDir, network))
                    .exec()
                    .getId();
        } catch (NotFoundException e) {
            throw new IOException("the Docker engine has no image " + spec.image() + " (make it with stack/build)", e);
        } catch (RuntimeException e) {
            // Conflicts, bad limits, an unreachable engine: docker-java's message says which.
            throw new IOException("cannot create container " + name + " from " + spec.image() + ": "
                    + e.getMessage(), e);
        }
        ContainerProcess.Output attached = attachOrRemove(id, spec);
        startOrRemove(id, name, attached);
        LOG.info("started {} of {} v{} (task {}) in container {} of {}", spec.dyno(), spec.app(), spec.release(),
                instance.taskId(), name, spec.image());
        return ContainerProcess.watch(docker, id, name, attached, killTimer);
    }

    private RunningProcess reattach(Instance instance, List<Container> existing) throws IOException {
        TaskSpec spec = instance.spec();
        // Only one can exist; should there be more, the running one is the instance.
        Container container = existing.stream()
                .min(Comparator.comparing(c -> "running".equals(c.getState()) ? 0 : 1))
                .orElseThrow();
        String name = nameOf(container);
        String state = container.getState();
        String id = container.getId();
        if ("created".equals(state)) {
            // An executor died between creating and starting it.
            ContainerProcess.Output attached = attachOrRemove(id, spec);
            startOrRemove(id, name, attached);
            LOG.info("started the existing container {} of {} {} v{} (task {})", name, spec.app(), spec.dyno(),
                    spec.release(), instance.taskId());
            return ContainerProcess.watch(docker, id, name, attached, killTimer);
        }
        ContainerProcess.Output attached = null;
        if ("running".equals(state) || "paused".equals(state) || "restarting".equals(state)) {
            try {
                attached = ContainerProcess.attach(docker, id, spec.dyno(), output);
            } catch (IOException e) {
                // Stopped meanwhile, most likely: its exit is read all the same.
                LOG.info("not following the output of {}: {}", name, e.getMessage());
            }
        }
        LOG.info("re-attached to container {} of {} {} v{} (task {}), which is {}", name, spec.app(), spec.dyno(),
                spec.release(), instance.taskId(), state);
        return ContainerProcess.watch(docker, id, name, attached, killTimer);
    }

    /** The instance's port, at the same number inside as on the host: {@code $PORT} means both. */
    private static List<ExposedPort> exposedPorts(TaskSpec spec) {
        return spec.port() > 0 ? List.of(ExposedPort.tcp(spec.port())) : List.of();
    }

    private HostConfig hostConfig(TaskSpec spec, Path appDir, String network) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(network)
                .withInit(true)
                .withBinds(binds(appDir))
                .withReadonlyRootfs(true)
                // exec: JVM libraries (Netty, Snappy, JNA) unpack native code into /tmp and load it.
                .withTmpFs(Map.of("/tmp", "rw,exec,nosuid,nodev,mode=1777"))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withPidsLimit(PIDS_LIMIT)
                // Followed by the runner: json-file keeps it readable whatever the engine's default driver.
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m",
                        "max-file", "2")));
        if (spec.port() > 0) {
            host.withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort(publishIp, spec.port()),
                    ExposedPort.tcp(spec.port())));
        }
        if (spec.memMb() > 0) {
            long bytes = spec.memMb() * MB;
            host.withMemory(bytes).withMemorySwap(bytes);
        }
        if (spec.cpus() > 0) {
            // CPU shares, as Mesos's own containerizer gives by default: a fair share under
            // contention, the idle cores otherwise. A hard quota of Slipway's default 0.1 CPU made
            // a JVM or npm take many seconds to start.
            host.withCpuShares((int) Math.max(2, Math.round(spec.cpus() * 1024)));
        }
        return host;
    }

    /** The slug's folder at /app, and this machine's CA bundles where they are, read-only. */
    private List<Bind> binds(Path appDir) {
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(appDir.toString(), new Volume(APP_DIR), AccessMode.rw));
        binds.addAll(trust.binds());
        return binds;
    }

    private ContainerProcess.Output attachOrRemove(String id, TaskSpec spec) throws IOException {
        try {
            return ContainerProcess.attach(docker, id, spec.dyno(), output);
        } catch (IOException e) {
            removeAfterFailure(id, e);
            throw e;
        }
    }

    private void startOrRemove(String id, String name, ContainerProcess.Output attached) throws IOException {
        try {
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            ContainerProcess.closeQuietly(attached);
            removeAfterFailure(id, e);
            throw new IOException("cannot start container " + name + ": " + e.getMessage(), e);
        }
    }

    private void removeAfterFailure(String id, Exception failure) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (RuntimeException removal) {
            failure.addSuppressed(removal);
        }
    }

    private List<Container> containersOf(Map<String, String> labels) throws IOException {
        try {
            return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
        } catch (RuntimeException e) {
            throw new IOException("cannot list the Docker engine's containers: " + e.getMessage(), e);
        }
    }

    private static String nameOf(Container container) {
        String[] names = container.getNames();
        if (names == null || names.length == 0) {
            return container.getId().substring(0, 12);
        }
        return names[0].startsWith("/") ? names[0].substring(1) : names[0];
    }
}
