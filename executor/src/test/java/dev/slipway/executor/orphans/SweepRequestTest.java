package dev.slipway.executor.orphans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepRequestTest {
    private static Optional<SweepRequest> parse(String json) throws IOException {
        return SweepRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheFrameworksListOfLiveTasksAndItsTime() throws Exception {
        Optional<SweepRequest> request = parse("""
                {"type":"remove-orphans","live_task_ids":["hello.web.1.v3.1a2b3c4d","hello.worker.1.v3.99"],\
                "as_of_ms":1764300000000}""");

        assertThat(request).contains(new SweepRequest(
                Set.of("hello.web.1.v3.1a2b3c4d", "hello.worker.1.v3.99"),
                Instant.ofEpochMilli(1764300000000L)));
    }

    @Test
    void anEmptyListIsAListAllTheSame() throws Exception {
        assertThat(parse("{\"type\":\"remove-orphans\",\"live_task_ids\":[],\"as_of_ms\":5}"))
                .get().satisfies(r -> assertThat(r.liveTaskIds()).isEmpty());
    }

    @Test
    void messagesOfAnotherKindAreNotRequests() throws Exception {
        assertThat(parse("{\"type\":\"hello\"}")).isEmpty();
        assertThat(parse("not json at all")).isEmpty();
        assertThat(parse("[]")).isEmpty();
    }

    @Test
    void aGarbledRequestRemovesNothing() {
        assertThatThrownBy(() -> parse("{\"type\":\"remove-orphans\",\"as_of_ms\":5}"))
                .isInstanceOf(IOException.class).hasMessageContaining("live_task_ids");
        assertThatThrownBy(() -> parse("{\"type\":\"remove-orphans\",\"live_task_ids\":[]}"))
                .isInstanceOf(IOException.class).hasMessageContaining("as_of_ms");
        assertThatThrownBy(() -> parse("{\"type\":\"remove-orphans\",\"live_task_ids\":[1],\"as_of_ms\":5}"))
                .isInstanceOf(IOException.class).hasMessageContaining("task ids");
    }

    @Test
    void theExecutorsOwnTaskIsAlwaysLive() {
        SweepRequest request = new SweepRequest(Set.of("a"), Instant.EPOCH).including("mine");

        assertThat(request.liveTaskIds()).containsExactlyInAnyOrder("a", "mine");
    }
}
