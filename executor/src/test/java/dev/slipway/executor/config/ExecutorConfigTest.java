package dev.slipway.executor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorConfigTest {
    @TempDir
    Path sandbox;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("MESOS_AGENT_ENDPOINT", "10.0.0.5:5051");
        env.put("MESOS_FRAMEWORK_ID", "fw-0001");
        env.put("MESOS_EXECUTOR_ID", "hello.web.1.v3.abc");
        env.put("MESOS_SANDBOX", sandbox.toString());
        return env;
    }

    @Test
    void readsTheAgentsVariables() {
        Map<String, String> env = env();
        env.put("MESOS_CHECKPOINT", "1");
        env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
        env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
        env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs");

        ExecutorConfig config = ExecutorConfig.fromEnvironment(env);

        assertThat(config.agentEndpoint()).isEqualTo(URI.create("http://10.0.0.5:5051/api/v1/executor"));
        assertThat(config.frameworkId()).isEqualTo("fw-0001");
        assertThat(config.executorId()).isEqualTo("hello.web.1.v3.abc");
        assertThat(config.sandbox()).isEqualTo(sandbox);
        assertThat(config.appDir()).isEqualTo(sandbox.resolve("app"));
        assertThat(config.checkpoint()).isTrue();
        assertThat(config.recoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.subscriptionBackoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void takesTheAgentsAuthenticationTokenAndNeverShowsIt() {
        Map<String, String> env = env();
        env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln");

        ExecutorConfig config = ExecutorConfig.fromEnvironment(env);

        assertThat(config.authenticationToken()).isEqualTo("eyJhbGciOiJIUzI1NiJ9.e30.c2ln");
        assertThat(config.toString()).doesNotContain("eyJ").contains("authenticationToken=***");
    }

    @Test
    void withoutATokenTheExecutorSendsNoCredentials() {
        ExecutorConfig config = ExecutorConfig.fromEnvironment(env());

        assertThat(config.authenticationToken()).isNull();
    }

    @Test
    void usesTheAgentsDefaultsForOptionalVariables() {
        ExecutorConfig config = ExecutorConfig.fromEnvironment(env());

        assertThat(config.checkpoint()).isFalse();
        assertThat(config.recoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.subscriptionBackoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void fallsBackToMesosDirectoryForTheSandbox() {
        Map<String, String> env = env();
        env.remove("MESOS_SANDBOX");
        env.put("MESOS_DIRECTORY", sandbox.toString());

        assertThat(ExecutorConfig.fromEnvironment(env).sandbox()).isEqualTo(sandbox);
    }

    @Test
    void namesAMissingVariable() {
        for (String name : new String[] {"MESOS_AGENT_ENDPOINT", "MESOS_FRAMEWORK_ID", "MESOS_EXECUTOR_ID"}) {
            Map<String, String> env = env();
            env.remove(name);
            assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(env))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith(name + " is not set");
        }
        Map<String, String> noSandbox = env();
        noSandbox.remove("MESOS_SANDBOX");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(noSandbox))
                .hasMessageContaining("MESOS_SANDBOX").hasMessageContaining("MESOS_DIRECTORY");
    }

    @Test
    void namesAMalformedVariable() {
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(with("MESOS_RECOVERY_TIMEOUT", "soon")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("MESOS_RECOVERY_TIMEOUT: 'soon' is not a Mesos duration");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(with("MESOS_SUBSCRIPTION_BACKOFF_MAX", "0secs")))
                .hasMessageStartingWith("MESOS_SUBSCRIPTION_BACKOFF_MAX");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(with("MESOS_CHECKPOINT", "yes")))
                .hasMessageStartingWith("MESOS_CHECKPOINT");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(with("MESOS_AGENT_ENDPOINT", "10.0.0.5")))
                .hasMessageStartingWith("MESOS_AGENT_ENDPOINT '10.0.0.5' is not host:port");
        assertThatThrownBy(() -> ExecutorConfig.fromEnvironment(with("MESOS_SANDBOX", sandbox.resolve("nope").toString())))
                .hasMessageStartingWith("MESOS_SANDBOX").hasMessageEndingWith("is not a directory");
    }

    private Map<String, String> with(String name, String value) {
        Map<String, String> env = env();
        env.put(name, value);
        return env;
    }
}
