package dev.slipway.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameLinesTest {
    private static final int MAX = 1024;

    private final List<String> lines = new ArrayList<>();
    private final FrameLines frames = new FrameLines(lines::add, MAX);

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
        frame("é".repeat(MAX));
        frames.flush();

        assertThat(lines).hasSizeGreaterThan(1).allMatch(line -> line.chars().allMatch(c -> c == 'é'));
        assertThat(String.join("", lines)).hasSize(MAX);
    }
}
