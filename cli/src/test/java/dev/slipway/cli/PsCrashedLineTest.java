package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How {@code slipway ps} shows a crashed slot that backs off. */
class PsCrashedLineTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aCrashedSlotSaysWhyAndWhenItIsTriedAgain() throws Exception {
        String line = PsCommands.Ps.crashed(json.readTree("""
                {"name":"web.1","type":"web","state":"crashed","release":3,"message":"exited with code 127",
                 "next_try_at":"2026-12-07T00:20:00Z","next_try_in_seconds":42}"""));

        assertThat(line).isEqualTo("web.1 crashed: exited with code 127 - next try in 42 s");
    }

    @Test
    void aCrashedSlotWhoseWaitIsOverWaitsOnlyForAnOffer() throws Exception {
        String line = PsCommands.Ps.crashed(json.readTree("""
                {"name":"worker.2","state":"crashed","message":"","next_try_in_seconds":0}"""));

        assertThat(line).isEqualTo("worker.2 crashed - next try as soon as an offer fits");
    }
}
