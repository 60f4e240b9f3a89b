package dev.slipway.executor;

import dev.slipway.executor.cds.ClassDataArchive;
import dev.slipway.executor.config.ExecutorConfig;
import dev.slipway.executor.config.InvalidConfigException;
import com.github.dockerjava.api.DockerClient;
import dev.slipway.docker.DockerEngine;
import dev.slipway.executor.logs.LogShipper;
import dev.slipway.executor.logs.LogShipping;
import dev.slipway.executor.process.AppOutput;
import dev.slipway.executor.process.AppUsers;
import dev.slipway.executor.process.DockerProcessRunner;
import dev.slipway.executor.process.HostFirewall;
import dev.slipway.executor.process.PlainProcessRunner;
import dev.slipway.executor.process.ProcessRunner;
import dev.slipway.executor.process.RunnerChoice;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar slipway-executor.jar}: started by a Mesos agent in a task sandbox, configured by
 * the agent's {@code MESOS_*} environment variables. Exits 0 once its task is over, 1 when it lost
 * its agent, 2 when the environment is not a valid executor environment.
 *
 * <p>A task that names an image runs in a Docker container when an engine answers
 * ({@code DOCKER_HOST}, else the local socket), otherwise as a plain host process
 * ({@link RunnerChoice}; docs/containers.md). The app's output goes to the sandbox's
 * {@code stdout}/{@code stderr} files and, when the task names a {@code log_url}, to the framework
 * ({@link LogShipping}; docs/logs.md).
 */
public final class Main {
    static final int EXIT_BAD_ENVIRONMENT = 2;
    /** How long the app gets when the executor JVM itself is being stopped (SIGTERM to the executor). */
    private static final Duration STOP_ON_JVM_SHUTDOWN = Duration.ofSeconds(2);
    /** How long the app's last log lines may take to reach the framework once the executor is done. */
    private static final Duration LOG_FLUSH = Duration.ofSeconds(3);
    private static final String PROTOBUF_GENCODE = "com.google.protobuf.use_unsafe_pre22_gencode";

    private Main() {
    }

    public static void main(String[] args) {
        // Mesos' generated classes are old; without this protobuf warns once per class.
        if (System.getProperty(PROTOBUF_GENCODE) == null) {
            System.setProperty(PROTOBUF_GENCODE, "true");
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        ExecutorConfig config;
        try {
            config = ExecutorConfig.fromEnvironment(System.getenv());
        } catch (InvalidConfigException e) {
            log.error("cannot start the executor: {}", e.getMessage());
            System.exit(EXIT_BAD_ENVIRONMENT);
            return;
        }
        Clock clock = Clock.systemUTC();
        LogShipping shipping = new LogShipping(LogShipper.Settings.defaults(), clock);
        AppOutput output = AppOutput.console(System.out, System.err, clock, shipping);
        List<DockerClient> engines = new CopyOnWriteArrayList<>();
        ProcessRunner runner = shipping.around(new RunnerChoice(new PlainProcessRunner(System.getenv(), output,
                AppUsers.forThisProcess(AppUsers.DEFAULT_INSTANCES)),
                () -> DockerEngine.find().map(docker -> {
                    engines.add(docker);
                    return new DockerProcessRunner(docker, output, config.frameworkId(),
                            DockerProcessRunner.publishIpFor(config.agentEndpoint().getHost()),
                            HostFirewall.ofThisMachine());
                })));
        SlipwayExecutor executor = new SlipwayExecutor(config, runner, clock);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            executor.stopProcessNow(STOP_ON_JVM_SHUTDOWN);
            shipping.close(LOG_FLUSH);
        }, "stop-app-on-exit"));
        executor.start();
        // Once healthy, everything a start needs is loaded: the time to write the class-data archive
        // that later executors start from, when the command asked for it.
        executor.firstHealthy().thenRunAsync(() -> ClassDataArchive.writeIfAsked(System.getenv(), clock),
                runnable -> {
                    Thread thread = new Thread(runnable, "class-data-archive");
                    thread.setDaemon(true);
                    thread.start();
                });
        int code = executor.exitCode().join();
        executor.close();
        shipping.close(LOG_FLUSH);
        engines.forEach(DockerEngine::close);
        System.exit(code);
    }
}
