package dev.slipway.executor;

import dev.slipway.executor.config.ExecutorConfig;
import dev.slipway.executor.config.InvalidConfigException;
import dev.slipway.executor.process.AppOutput;
import dev.slipway.executor.process.PlainProcessRunner;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar slipway-executor.jar}: started by a Mesos agent in a task sandbox, configured by
 * the agent's {@code MESOS_*} environment variables. Exits 0 once its task is over, 1 when it lost
 * its agent, 2 when the environment is not a valid executor environment.
 */
public final class Main {
    static final int EXIT_BAD_ENVIRONMENT = 2;
    /** How long the app gets when the executor JVM itself is being stopped (SIGTERM to the executor). */
    private static final Duration STOP_ON_JVM_SHUTDOWN = Duration.ofSeconds(2);
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
        PlainProcessRunner runner = new PlainProcessRunner(System.getenv(),
                AppOutput.console(System.out, System.err, clock));
        SlipwayExecutor executor = new SlipwayExecutor(config, runner, clock);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> executor.stopProcessNow(STOP_ON_JVM_SHUTDOWN),
                "stop-app-on-exit"));
        executor.start();
        int code = executor.exitCode().join();
        executor.close();
        System.exit(code);
    }
}
