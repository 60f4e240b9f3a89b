package dev.slipway.executor.process;

import dev.slipway.executor.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an instance as a plain child process of the executor, for hosts without a Docker engine:
 * a development mode. It shares the host's network (nothing keeps it from the control plane's
 * ports or other apps'); with {@link AppUsers} (an executor running as root) each app runs under
 * its own Unix user in a home only that user can read, otherwise as the executor's user, who can
 * read every other app's environment and files (docs/security.md).
 */
public final class PlainProcessRunner implements ProcessRunner {
    /**
     * Heroku's slug runner: source {@code .profile.d/*.sh} (and {@code .profile}) from the app
     * directory, then replace the shell with the command, itself run by bash so that Procfile
     * commands such as {@code cd web && npm start} work. The command arrives as {@code $1}, never
     * spliced into the script.
     */
    static final String RUNNER_SCRIPT = "for f in \"$HOME\"/.profile.d/*.sh; do [ -r \"$f\" ] && . \"$f\"; done; "
            + "unset f; [ -r \"$HOME/.profile\" ] && . \"$HOME/.profile\"; exec bash -c \"$1\"";
    /** The executor's own variables: how it talks to its agent, none of the app's business. */
    private static final List<String> PRIVATE_PREFIXES = List.of("MESOS_", "LIBPROCESS_");
    private static final Logger LOG = LoggerFactory.getLogger(PlainProcessRunner.class);

    private final Map<String, String> inheritedEnv;
    private final AppOutput output;
    private final ScheduledExecutorService killTimer;
    private final AppUsers users;

    /**
     * Runs apps as this process's user.
     *
     * @param inheritedEnv the environment the app starts from (the executor's: PATH, JAVA_HOME, ...)
     * @param output       where the app's output lines go
     */
    public PlainProcessRunner(Map<String, String> inheritedEnv, AppOutput output) {
        this(inheritedEnv, output, null);
    }

    /**
     * @param users each app's own user, or null to run apps as this process's user
     *              ({@link AppUsers#forThisProcess})
     */
    public PlainProcessRunner(Map<String, String> inheritedEnv, AppOutput output, AppUsers users) {
        this.inheritedEnv = Map.copyOf(inheritedEnv);
        this.output = output;
        this.users = users;
        this.killTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "process-kill-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Host processes die with their executor (the agent ends its process group): none are left. */
    @Override
    public List<String> removeOrphans(Set<String> liveTaskIds, Instant launchedBefore) {
        return List.of();
    }

    @Override
    public RunningProcess start(Instance instance) throws IOException {
        TaskSpec spec = instance.spec();
        Path appDir = instance.appDir();
        if (!Files.isDirectory(appDir)) {
            throw new IOException("the slug is not unpacked: " + appDir + " is not a directory");
        }
        List<String> launcher = List.of();
        if (users != null) {
            users.removeHomesOf(spec.endedTaskIds());
            AppUsers.AppUser user = users.ensure(spec.app());
            appDir = users.home(instance, user);
            launcher = users.launcher(user);
            LOG.info("{} of {} runs as the user {} (uid {}) in {}", spec.dyno(), spec.app(), user.name(), user.uid(),
                    appDir);
        }
        ProcessBuilder builder = new ProcessBuilder(command(launcher, "slipway-runner", spec.command()))
                .directory(appDir.toFile());
        Map<String, String> environment = environment(spec, appDir, inheritedEnv);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot start bash for " + spec.dyno() + ": " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        String dyno = spec.dyno();
        Thread stdout = LinePump.start("app-" + dyno + "-stdout", process.getInputStream(),
                line -> output.line(dyno, AppOutput.Channel.STDOUT, line));
        Thread stderr = LinePump.start("app-" + dyno + "-stderr", process.getErrorStream(),
                line -> output.line(dyno, AppOutput.Channel.STDERR, line));
        LOG.info("started {} of {} v{} as pid {}{}", dyno, spec.app(), spec.release(), process.pid(), users != null ? ""
                : " as the executor's own user: other apps of this user can read its environment and files "
                + "(docs/security.md)");
        if (users != null) {
            Path home = appDir;
            process.onExit().thenRun(() -> users.removeHome(home));
        }
        return new PlainProcess(process, killTimer, appDir, environment, launcher, List.of(stdout, stderr));
    }

    /** The runner script in bash, as the app's user when {@code launcher} names one. */
    static List<String> command(List<String> launcher, String name, String command) {
        List<String> argv = new ArrayList<>(launcher);
        argv.addAll(List.of("bash", "-c", RUNNER_SCRIPT, name, command));
        return argv;
    }

    /**
     * The app's environment: the inherited one without the executor's private variables, then the
     * spec's variables, then {@code HOME}, {@code PORT} (when the instance has one) and {@code DYNO}.
     */
    static Map<String, String> environment(TaskSpec spec, Path appDir, Map<String, String> inherited) {
        Map<String, String> env = new TreeMap<>();
        inherited.forEach((name, value) -> {
            if (PRIVATE_PREFIXES.stream().noneMatch(name::startsWith)) {
                env.put(name, value);
            }
        });
        env.putAll(spec.env());
        env.put("HOME", appDir.toAbsolutePath().toString());
        if (spec.port() > 0) {
            env.put("PORT", Integer.toString(spec.port()));
        }
        env.put("DYNO", spec.dyno());
        return env;
    }
}
