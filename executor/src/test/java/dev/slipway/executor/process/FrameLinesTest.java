package dev.slipway.executor.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameLinesTest {
    private final List<String> lines = new ArrayList<>();
    private final FrameLines frames = new FrameLines(lines::add);

    private void frame(String text) {
        frames.accept(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void joinsALineSpanningFramesAndSplitsAFrameHoldingMany() {
        frame("one\ntwo\r\nthr");
        frame("ee\n");
        frame("no newline");
        frames.flush();

        assertThat(lines).containsExactly("one", "two", "three", "no newline");
    }

    @Test
    void cutsAnEndlessLineBetweenCharactersNeverInsideOne() {
        frame("é".repeat(LinePump.MAX_LINE_CHARS));
        frames.flush();

        assertThat(lines).hasSizeGreaterThan(1).allMatch(line -> line.chars().allMatch(c -> c == 'é'));
        assertThat(String.join("", lines)).hasSize(LinePump.MAX_LINE_CHARS);
    }
}
