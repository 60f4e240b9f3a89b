package dev.slipway.framework.offer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.placement.Agent;
import dev.slipway.framework.placement.Attribute;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunningTest {
    @Test
    void liveInstancesAreGroupedByAppAndProcessTypeOnTheAgentsTheirOffersDescribed() {
        Running running = new Running();
        Offer offer = new Offer("o1", "agent-1", "sim-agent-0001", new Resources(1, 1024, List.of()),
                Map.of("zone", new Attribute.Text("z1")));
        running.saw(List.of(offer));

        Map<String, List<Agent>> byGroup = running.byGroup(List.of(
                instance("t1", "web", "agent-1", "sim-agent-0001", InstanceState.RUNNING),
                instance("t2", "web", "agent-9", "sim-agent-0009", InstanceState.LAUNCHING),
                instance("t3", "worker", "agent-1", "sim-agent-0001", InstanceState.STAGING),
                instance("t4", "web", "agent-1", "sim-agent-0001", InstanceState.FAILED)));

        assertThat(byGroup).containsOnlyKeys("hello web", "hello worker");
        assertThat(byGroup.get("hello web")).containsExactly(offer.agent(), Agent.named("sim-agent-0009"));
        assertThat(byGroup.get("hello worker")).containsExactly(offer.agent());
    }

    private static Instance instance(String taskId, String process, String agentId, String host, InstanceState state) {
        return new Instance(taskId, "hello", process, 1, 1, state, agentId, host, 31000, false, "", Instant.EPOCH);
    }
}
