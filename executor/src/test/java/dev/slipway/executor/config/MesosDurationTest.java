package dev.slipway.executor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MesosDurationTest {
    @Test
    void parsesEveryUnitMesosWrites() {
        assertThat(MesosDuration.parse("15mins")).isEqualTo(Duration.ofMinutes(15));
        assertThat(MesosDuration.parse("2secs")).isEqualTo(Duration.ofSeconds(2));
        assertThat(MesosDuration.parse("5secs")).isEqualTo(Duration.ofSeconds(5));
        assertThat(MesosDuration.parse("1hrs")).isEqualTo(Duration.ofHours(1));
        assertThat(MesosDuration.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(MesosDuration.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(MesosDuration.parse("7ns")).isEqualTo(Duration.ofNanos(7));
        assertThat(MesosDuration.parse("2days")).isEqualTo(Duration.ofDays(2));
        assertThat(MesosDuration.parse("1weeks")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void parsesFractionsAndSurroundingBlanks() {
        assertThat(MesosDuration.parse("1.5secs")).isEqualTo(Duration.ofMillis(1500));
        assertThat(MesosDuration.parse(" 0.25mins ")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void rejectsWhatIsNotAMesosDuration() {
        for (String bad : new String[] {"", "15", "mins", "15m", "15 minutes", "-5secs", "1e3ms", "5SECS"}) {
            assertThatThrownBy(() -> MesosDuration.parse(bad), bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("e.g. 15mins");
        }
        assertThatThrownBy(() -> MesosDuration.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsDurationsTooLongForJava() {
        assertThatThrownBy(() -> MesosDuration.parse("99999999999weeks"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }
}
