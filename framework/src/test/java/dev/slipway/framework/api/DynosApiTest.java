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

/**
 * {@code GET /apps/{app}/dynos}: one current instance per slot, a crashed slot with why and when it is tried again;
 * {@code ?all=true} the history.
 */
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

    @Test
    void allListsTheHistoryWhereTheDefaultListsTheCurrentInstancesAndRunningOneOffs() throws Exception {
        api.givenApp("busy");
        InstanceStore instances = new InstanceStore(api.zk);
        Instant now = Instant.now();
        for (int crash = 1; crash <= 3; crash++) {
            instances.put(new Instance("busy.web.1.v1." + crash, "busy", "web", 1, 1, InstanceState.FAILED,
                    "agent-1", "127.0.0.1", 31000 + crash, false, "exited with code 1", now.minusSeconds(20 - crash)));
        }
        instances.put(new Instance("busy.web.1.v2.a", "busy", "web", 1, 2, InstanceState.RUNNING, "agent-1",
                "127.0.0.1", 31010, true, "", now));
        // Scaled down from 2: its last instance stopped, no longer a current slot.
        instances.put(new Instance("busy.web.2.v1.a", "busy", "web", 2, 1, InstanceState.KILLED, "agent-1",
                "127.0.0.1", 31011, false, "", now.minusSeconds(3)));
        instances.put(new Instance("busy.run.1.v2.a", "busy", "run", 1, 2, InstanceState.FINISHED, "agent-1",
                "127.0.0.1", 31012, false, "exited with code 0", now.minusSeconds(2)));
        instances.put(new Instance("busy.run.2.v2.a", "busy", "run", 2, 2, InstanceState.RUNNING, "agent-1",
                "127.0.0.1", 31013, false, "", now));

        List<JsonNode> current = list(api.json("/apps/busy/dynos"));
        List<JsonNode> all = list(api.json("/apps/busy/dynos?all=true"));

        assertThat(current).extracting(d -> d.path("task_id").asText())
                .containsExactlyInAnyOrder("busy.web.1.v2.a", "busy.run.2.v2.a");
        assertThat(all).extracting(d -> d.path("task_id").asText()).containsExactlyInAnyOrder(
                "busy.web.1.v1.1", "busy.web.1.v1.2", "busy.web.1.v1.3", "busy.web.1.v2.a", "busy.web.2.v1.a",
                "busy.run.1.v2.a", "busy.run.2.v2.a");
        assertThat(list(api.json("/apps/busy/dynos?all=false"))).hasSameSizeAs(current);
    }

    @Test
    void allThatIsNeitherTrueNorFalseIsRefusedNamingIt() throws Exception {
        api.givenApp("picky");

        var response = api.get("/apps/picky/dynos?all=yes");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("all must be true or false");
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> rows = new ArrayList<>();
        array.forEach(rows::add);
        return rows;
    }
}
