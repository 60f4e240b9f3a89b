package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SilenceProgressTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> said = new ArrayList<>();

    @Test
    void offATerminalALineWithTheElapsedTimeComesAfterEveryThirtySecondsOfSilence() {
        SilenceProgress progress = new SilenceProgress(said::add, null, "Building the stack image", now::get);
        at(29);
        progress.tick();
        assertThat(said).isEmpty();
        at(30);
        progress.tick();
        at(45);
        progress.tick();
        at(50);
        progress.accept("Step 3/9 : RUN apt-get install");
        at(79);
        progress.tick();
        at(130);
        progress.tick();

        assertThat(said).containsExactly("Building the stack image (30s)…", "Step 3/9 : RUN apt-get install",
                "Building the stack image (2m10s)…");
    }

    @Test
    void onATerminalTheStatusLineIsRewrittenInPlaceAndWipedBeforeTheNextLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream tty = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        SilenceProgress progress = new SilenceProgress(said::add, tty, "Building the stack image", now::get);
        at(4);
        progress.tick();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
        at(5);
        progress.tick();
        at(6);
        progress.tick();
        progress.accept("Step 4/9");

        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertThat(drawn).startsWith("\r-----> Building the stack image (5s)…\r-----> Building the stack image (6s)…")
                .endsWith("\r" + " ".repeat("-----> Building the stack image (6s)…".length()) + "\r")
                .doesNotContain("\n").doesNotContain("\u001b");
        assertThat(said).containsExactly("Step 4/9");
    }

    @Test
    void elapsedTimesReadAsMinutesAndSeconds() {
        assertThat(SilenceProgress.elapsed(Duration.ofSeconds(9))).isEqualTo("9s");
        assertThat(SilenceProgress.elapsed(Duration.ofSeconds(130))).isEqualTo("2m10s");
        assertThat(SilenceProgress.elapsed(Duration.ofSeconds(605))).isEqualTo("10m05s");
    }

    private void at(long seconds) {
        now.set(Duration.ofSeconds(seconds).toNanos());
    }
}
