package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code deploy}'s upload progress: a line rewritten on a terminal, nothing elsewhere. */
class UploadProgressTest {
    @Test
    void theLineSaysBytesSentOfTheTotalAndThePercentage() {
        assertThat(UploadProgress.line(0, 3 * 1024 * 1024)).isEqualTo("0 B of 3.0 MB (0%)");
        assertThat(UploadProgress.line(1024 * 1024, 4 * 1024 * 1024)).isEqualTo("1.0 MB of 4.0 MB (25%)");
        assertThat(UploadProgress.line(500, 500)).isEqualTo("500 B of 500 B (100%)");
        assertThat(UploadProgress.line(0, 0)).isEqualTo("0 B of 0 B (100%)");
    }

    @Test
    void onATerminalTheLineIsRewrittenAndErasedAtTheEnd() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        UploadProgress progress = new UploadProgress("app", 2048, new PrintStream(err, true, StandardCharsets.UTF_8), true);

        progress.accept(1024);
        progress.accept(2048);
        progress.done();

        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("\r-----> Uploading app: 1.0 KB of 2.0 KB (50%)")
                .contains("\r-----> Uploading app: 2.0 KB of 2.0 KB (100%)").endsWith("\r\u001b[K");
    }

    @Test
    void elsewhereNothingIsPrinted() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        UploadProgress progress = new UploadProgress("app", 2048, new PrintStream(err, true, StandardCharsets.UTF_8), false);

        progress.accept(2048);
        progress.done();

        assertThat(err.size()).isZero();
    }
}
