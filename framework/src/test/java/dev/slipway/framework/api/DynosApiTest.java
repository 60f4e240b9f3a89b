package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.InstanceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /apps/{app}/dynos}: one current instance per slot, a crashed slot with why and when it is tried again. */
class DynosApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void aCrashedSlotShowsItsExitReasonAndNextTryAndNotItsHistory() throws Exception {
        api.givenApp("loop");
        InstanceStore instances = new InstanceStore(api.zk);
        Instant now = Instant.now();
        for (int crash = 1; crash <= 3; crash++) {
            instances.put(new Instance("loop.web.1.v1." + crash, "loop", "web", 1, 1, InstanceState.FAILED, "agent-1",
                    "127.0.0.1", 31000 + crash, false, "exited with code 127", now.minusSeconds(10 - crash)));
        }
        api.apps.crashes().put("loop", new CrashBackoff("web", 1, 1, 3, now.plusSeconds(42), null,
                "exited with code 127"));

        List<JsonNode> dynos = list(api.json("/apps/loop/dynos"));

        assertThat(dynos).singleElement().satisfies(d -> {
            assertThat(d.path("name").asText()).isEqualTo("web.1");
            assertThat(d.path("state").asText()).isEqualTo("crashed");
            assertThat(d.path("message").asText()).isEqualTo("exited with code 127");
            assertThat(d.path("task_id").asText()).isEqualTo("loop.web.1.v1.3");
            assertThat(d.path("next_try_in_seconds").asLong()).isBetween(35L, 42L);
            assertThat(Instant.parse(d.path("next_try_at").asText())).isEqualTo(now.plusSeconds(42));
        });
    }

    @Test
    void aSlotWithALiveInstanceShowsOnlyTheLiveOne() throws Exception {
        api.givenApp("healed");
        InstanceStore instances = new InstanceStore(api.zk);
        Instant now = Instant.now();
        instances.put(new Instance("healed.web.1.v1.a", "healed", "web", 1, 1, InstanceState.FAILED, "agent-1",
                "127.0.0.1", 31001, false, "exited with code 1", now.minusSeconds(5)));
        instances.put(new Instance("healed.web.1.v1.b", "healed", "web", 1, 1, InstanceState.RUNNING, "agent-1",
                "127.0.0.1", 31002, true, "", now));

        List<JsonNode> dynos = list(api.json("/apps/healed/dynos"));

        assertThat(dynos).singleElement().satisfies(d -> {
            assertThat(d.path("task_id").asText()).isEqualTo("healed.web.1.v1.b");
            assertThat(d.path("state").asText()).isEqualTo("up");
            assertThat(d.path("next_try_at").isNull() || d.path("next_try_at").isMissingNode()).isTrue();
        });
    }

    @Test
    void aSlotStillBackingOffAfterItsInstanceWasClearedAwayIsShownCrashed() throws Exception {
        api.givenApp("cleared");
        api.apps.crashes().put("cleared", new CrashBackoff("web", 1, 1, 20, Instant.now().plusSeconds(200), null,
                "exited with code 2"));

        List<JsonNode> dynos = list(api.json("/apps/cleared/dynos"));

        assertThat(dynos).singleElement().satisfies(d -> {
            assertThat(d.path("name").asText()).isEqualTo("web.1");
            assertThat(d.path("state").asText()).isEqualTo("crashed");
            assertThat(d.path("message").asText()).isEqualTo("exited with code 2");
        });
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> rows = new ArrayList<>();
        array.forEach(rows::add);
        return rows;
    }
}
