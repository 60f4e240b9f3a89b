package dev.slipway.mesoslocal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.junit.jupiter.api.Test;

class ContainerizerTest {
    @Test
    void aShellCommandRunsThroughSh() {
        assertThat(Containerizer.argv(CommandInfo.newBuilder().setValue("echo $HOME").build()))
                .containsExactly("/bin/sh", "-c", "echo $HOME");
    }

    @Test
    void withoutShellTheArgumentsAreTheWholeArgvArgv0Included() {
        CommandInfo command = CommandInfo.newBuilder().setShell(false).setValue("/usr/bin/env")
                .addArguments("env").addArguments("-i").addArguments("true").build();

        assertThat(Containerizer.argv(command)).containsExactly("/usr/bin/env", "-i", "true");
    }

    @Test
    void durationsAreWrittenAsStoutWritesThem() {
        assertThat(Durations.stout(Duration.ofSeconds(5))).isEqualTo("5secs");
        assertThat(Durations.stout(Duration.ofMinutes(15))).isEqualTo("15mins");
        assertThat(Durations.stout(Duration.ofMillis(2500))).isEqualTo("2.5secs");
        assertThat(Durations.stout(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.stout(Duration.ofMinutes(90))).isEqualTo("1.5hrs");
    }
}
