package dev.slipway.executor.orphans;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The framework's word, in a scheduler {@code MESSAGE}, that of its tasks only those in
 * {@code liveTaskIds} were live at {@code asOf} (its clock): any other container of the framework
 * on this executor's Docker engine that was launched before then is an orphan, left behind by an
 * executor that died. The JSON (docs/internals.md):
 * {@code {"type": "remove-orphans", "live_task_ids": ["hello.web.1.v3.1a2b3c4d"], "as_of_ms": 1764300000000}}.
 */
public record SweepRequest(Set<String> liveTaskIds, Instant asOf) {
    static final String TYPE = "remove-orphans";
    private static final ObjectMapper JSON = new ObjectMapper();

    public SweepRequest {
        liveTaskIds = Set.copyOf(liveTaskIds);
    }

    /**
     * The request in a scheduler message; empty when the message is of another kind.
     *
     * @throws IOException when it claims to be one but is garbled: nothing may be removed on its word
     */
    public static Optional<SweepRequest> parse(byte[] data) throws IOException {
        JsonNode message;
        try {
            message = JSON.readTree(data);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (message == null || !TYPE.equals(message.path("type").asText())) {
            return Optional.empty();
        }
        JsonNode ids = message.get("live_task_ids");
        JsonNode asOf = message.get("as_of_ms");
        if (ids == null || !ids.isArray() || asOf == null || !asOf.canConvertToLong() || asOf.asLong() <= 0) {
            throw new IOException("a remove-orphans message needs live_task_ids (an array) and as_of_ms (a positive "
                    + "number)");
        }
        Set<String> live = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isBlank()) {
                throw new IOException("live_task_ids holds something other than task ids: " + id);
            }
            live.add(id.asText());
        }
        return Optional.of(new SweepRequest(live, Instant.ofEpochMilli(asOf.asLong())));
    }

    /** The request with the executor's own task added: it is live whatever the list says. */
    public SweepRequest including(String taskId) {
        Set<String> live = new LinkedHashSet<>(liveTaskIds);
        live.add(taskId);
        return new SweepRequest(live, asOf);
    }
}
