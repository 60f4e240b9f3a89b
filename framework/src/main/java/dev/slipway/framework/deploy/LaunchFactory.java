package dev.slipway.framework.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.auth.Signer;
import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.offer.Demand;
import dev.slipway.framework.offer.Placement;
import dev.slipway.framework.placement.Constraint;
import dev.slipway.framework.placement.InvalidConstraint;
import dev.slipway.zk.App;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import dev.slipway.zk.Size;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a wanted instance and its place on an offer into a Mesos launch (see docs/internals.md). */
public final class LaunchFactory {
    /**
     * The executor's command, run by {@code sh} in the task's sandbox (the jar fetched into it). It
     * starts the JVM from the executor's class-data archive when the agent has one for this jar and
     * this JVM, else with what the executor needs to write one once its instance is healthy (the
     * executor's {@code ClassDataArchive}): the JVM then maps its classes instead of reading them
     * from the jar, and the executor is ready to launch the instance about half a second sooner.
     * The archive lives beside the framework's sandboxes on the agent ({@code
     * frameworks/<id>/executors/<id>/runs/<id>} is the sandbox), named by the jar's time and size
     * (the fetcher cache links the jar, keeping both) and by the JVM; the JVM ignores an archive
     * that does not fit.
     */
    static final String EXECUTOR_COMMAND = "a=\"../../../../slipway-executor-$(stat -c %Y-%s slipway-executor.jar)-"
            + "$(readlink -f \"$(command -v java)\" | cksum | cut -d ' ' -f 1).jsa\"; "
            + "if [ -f \"$a\" ]; then set -- \"-XX:SharedArchiveFile=$a\"; "
            + "else set -- -XX:+RecordDynamicDumpInfo; export SLIPWAY_EXECUTOR_CDS=\"$a\"; fi; "
            // A JVM before 17 knows no RecordDynamicDumpInfo: it starts without an archive all the same.
            + "exec java -XX:+IgnoreUnrecognizedVMOptions \"$@\" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off "
            + "-Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k "
            + "-Dcom.google.protobuf.use_unsafe_pre22_gencode=true -jar slipway-executor.jar";

    private static final Logger LOG = LoggerFactory.getLogger(LaunchFactory.class);
    private final FrameworkConfig config;
    private final Signer signer;

    /** Launches whose download URLs and log credentials {@code signer} signs. */
    public LaunchFactory(FrameworkConfig config, Signer signer) {
        this.config = config;
        this.signer = signer;
    }

    public Demand demand(Wanted wanted) {
        return demand(wanted, List.of());
    }

    /**
     * What the instance needs (its size and its executor's share), placed under its process type's
     * constraints as the app stores them (checked when stored; one a later version would refuse is
     * left out, with a warning).
     */
    public Demand demand(Wanted wanted, List<String> storedConstraints) {
        FrameworkConfig.Resources r = config.resources();
        Size size = sizeOf(wanted);
        Slot slot = wanted.slot();
        List<Constraint> constraints = new ArrayList<>();
        for (String stored : storedConstraints) {
            try {
                constraints.add(Constraint.parse(stored));
            } catch (InvalidConstraint e) {
                LOG.warn("app {}: constraint of {} left out: {}", slot.app(), slot.process(), e.getMessage());
            }
        }
        return new Demand(slot.toString(), size.cpus() + r.executorCpus(), size.memoryMb() + r.executorMemMb(),
                "web".equals(slot.process()) || wanted.oneOff() != null, Demand.group(slot.app(), slot.process()),
                slot.process(), constraints);
    }

    /** A fresh task id: readable in the Mesos UI, unique across relaunches of the same slot. */
    public static String taskId(Wanted wanted) {
        Slot slot = wanted.slot();
        return slot.app() + "." + slot.process() + "." + slot.index() + ".v" + wanted.release().version() + "."
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The size an instance of {@code wanted} is launched with: its type's, else the framework's default. */
    public Size sizeOf(Wanted wanted) {
        return config.resources().sizes().orDefault(wanted.size());
    }

    /**
     * The instance record stored before the launch is sent, so that a crash in between loses
     * nothing; with the size it is launched at, which a resize compares.
     */
    public Instance instance(String taskId, Wanted wanted, Placement placement, Instant now) {
        Slot slot = wanted.slot();
        Size size = sizeOf(wanted);
        return new Instance(taskId, slot.app(), slot.process(), slot.index(), wanted.release().version(),
                InstanceState.LAUNCHING, placement.offer().agentId(), host(placement), placement.port(), false,
                "launching", now, size.cpus(), size.memoryMb(), wanted.restart());
    }

    /**
     * The task to launch, with what its executor needs to tell orphans (docs/containers.md):
     * {@code launchedAt}, the time by this framework's clock (an executor removing orphans spares
     * a container launched after the list of live tasks it was given), and {@code endedTaskIds},
     * the framework's recently ended tasks, whose containers the executor removes before it starts
     * this one.
     */
    public Launch launch(String taskId, Wanted wanted, Placement placement, Instant launchedAt,
                         List<String> endedTaskIds) {
        Slot slot = wanted.slot();
        FrameworkConfig.Resources r = config.resources();
        Size size = sizeOf(wanted);
        String dyno = slot.process() + "." + slot.index();
        String name = slot.app() + " " + dyno + " v" + wanted.release().version();
        Map<String, String> env = environment(wanted.release(), wanted.oneOff() == null ? Map.of() : wanted.oneOff().env(),
                dyno, placement.port(), size.memoryMb());
        int killGraceSeconds = wanted.killGraceSeconds() == null ? r.killGraceSeconds() : wanted.killGraceSeconds();
        TaskData data = new TaskData(slot.app(), slot.process(), slot.index(), wanted.release().version(),
                wanted.command(), env, placement.port(), health(wanted.release(), slot.process()),
                killGraceSeconds, config.stackImage(), size.memoryMb(), size.cpus(),
                config.advertiseUrl().resolve("/apps/" + slot.app() + "/log-lines").toString(),
                launchedAt.toEpochMilli(), endedTaskIds, signer.taskCredential(taskId));
        Map<String, String> labels = Map.of(
                "slipway.app", slot.app(),
                "slipway.process", slot.process(),
                "slipway.instance", dyno,
                "slipway.release", "v" + wanted.release().version());
        URI base = config.advertiseUrl();
        // The Mesos fetcher sends no headers: each URL carries its own signature, valid for an hour or two.
        String executorPath = dev.slipway.framework.mesos.ExecutorJar.of(config.executorJar()).urlPath();
        String slugPath = "/slugs/" + wanted.release().slug() + ".tgz";
        List<Launch.Fetch> uris = List.of(
                new Launch.Fetch(base.resolve(signer.signedPath(executorPath, launchedAt)).toString(), false, false,
                        true),
                new Launch.Fetch(base.resolve(signer.signedPath(slugPath, launchedAt)).toString(), true, false,
                        true));
        return new Launch(taskId, name, "slipway executor for " + name, labels, size.cpus(), size.memoryMb(),
                placement.port(), r.executorCpus(), r.executorMemMb(), EXECUTOR_COMMAND, uris, encode(data),
                Duration.ofSeconds(killGraceSeconds));
    }

    /**
     * How long an instance of {@code app} gets between SIGTERM and SIGKILL when it is stopped now:
     * the app's current setting, else the framework's default. A kill carries it, so that a
     * changed setting applies to instances launched before the change.
     */
    public Duration killGrace(App app) {
        return Duration.ofSeconds(app.killGraceSecondsOr(config.resources().killGraceSeconds()));
    }

    /** The longest a stopping instance waits for the routers' acknowledgements before it is killed. */
    public Duration drainTimeout() {
        return Duration.ofSeconds(config.resources().drainTimeoutSeconds());
    }

    /**
     * The instance's environment: the buildpacks' config vars, then the app's own (which win over
     * them, {@link Release#environment()}), then what Slipway sets, which wins
     * over them: {@code DYNO}, {@code PORT} and {@code MEMORY_AVAILABLE} (the instance's memory
     * limit in whole MB, which Heroku's buildpacks size their runtimes by).
     */
    static Map<String, String> environment(Release release, String dyno, int port, double memMb) {
        return environment(release, Map.of(), dyno, port, memMb);
    }

    /** The same, with a one-off's own variables ({@code slipway run --env}) over the app's config. */
    static Map<String, String> environment(Release release, Map<String, String> extra, String dyno, int port,
                                           double memMb) {
        Map<String, String> env = new TreeMap<>(release.environment());
        env.putAll(extra);
        env.put("DYNO", dyno);
        if (port > 0) {
            env.put("PORT", Integer.toString(port));
        } else {
            // A port the buildpacks named means nothing to an instance that was given none.
            env.remove("PORT");
        }
        env.put("MEMORY_AVAILABLE", Long.toString((long) Math.floor(memMb)));
        return env;
    }

    /**
     * The process type's check from the release's {@code app.json}, else the default: Heroku's
     * boot check for web (a TCP connect to {@code PORT} within the boot timeout), none otherwise.
     */
    private Map<String, Object> health(Release release, String process) {
        Map<String, Object> health = new TreeMap<>(release.healthChecks().getOrDefault(process,
                Map.of("type", "web".equals(process) ? "tcp" : "none")));
        health.putIfAbsent("boot_timeout_seconds", config.resources().bootTimeoutSeconds());
        return health;
    }

    private static String host(Placement placement) {
        // Agents on this machine report their hostname; traffic here stays on loopback.
        String hostname = placement.offer().hostname();
        return hostname.isEmpty() || hostname.equals("localhost") ? "127.0.0.1" : hostname;
    }

    private static byte[] encode(TaskData data) {
        try {
            return Json.mapper().writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the task data", e);
        }
    }

    /**
     * The executor's TaskSpec, as JSON in TaskInfo.data.
     *
     * @param image the image to run the instance in (the stack's), null for a plain process
     */
    record TaskData(String app, String process, int index, int release, String command, Map<String, String> env,
                    int port, Map<String, Object> health, int killGraceSeconds, String image, int memMb,
                    double cpus, String logUrl, long launchedAtMs, List<String> endedTaskIds, String logToken) {
        /** The log token is the task's credential: left out. */
        @Override
        public String toString() {
            return "TaskData[app=" + app + ", process=" + process + ", index=" + index + ", release=" + release + "]";
        }
    }
}
