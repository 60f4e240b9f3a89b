package dev.slipway.executor.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitStatusTest {
    @Test
    void describesAnExitByCodeOrBySignal() {
        assertThat(new ExitStatus(3).describe()).isEqualTo("exited with code 3");
        assertThat(new ExitStatus(143).describe()).isEqualTo("killed by signal 15");
        assertThat(new ExitStatus(0).success()).isTrue();
    }

    @Test
    void anOutOfMemoryKillNamesTheLimit() {
        ExitStatus status = ExitStatus.outOfMemory(137, 512L * 1024 * 1024);

        assertThat(status.describe()).isEqualTo("exited 137: out of memory (limit 512 MB)");
        assertThat(status.success()).isFalse();
        assertThat(status.signal()).isEqualTo(9);
        assertThat(ExitStatus.outOfMemory(137, 0).describe()).isEqualTo("exited 137: out of memory");
    }

    @Test
    void aPlainExitEqualsItsCode() {
        assertThat(new ExitStatus(0)).isEqualTo(new ExitStatus(0, false, 0));
        assertThat(ExitStatus.outOfMemory(0, 0)).isNotEqualTo(new ExitStatus(0));
    }
}
