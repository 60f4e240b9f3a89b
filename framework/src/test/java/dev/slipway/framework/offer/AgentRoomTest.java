package dev.slipway.framework.offer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How large the framework believes each agent is, from the offers it has seen. */
class AgentRoomTest {
    @Test
    void nothingIsRefusedBeforeAnyAgentIsSeen() {
        assertThat(new AgentRoom().refusal(1000, 1_000_000)).isNull();
    }

    @Test
    void anAgentIsAsLargeAsTheMostItHasOfferedAtOnceItsOffersOfOneRoundAddedUp() {
        AgentRoom room = new AgentRoom();
        room.saw(List.of(offer("o1", "a1", 1, 1024), offer("o2", "a1", 1, 1024)));
        room.saw(List.of(offer("o3", "a1", 0.5, 512)));

        assertThat(room.agents()).containsExactly(new AgentRoom.Agent("host-a1", 2, 2048));
        assertThat(room.refusal(2, 2048)).isNull();
        assertThat(room.refusal(2.5, 1024)).isEqualTo("no agent offers 2.5 cpus: the most any of the 1 agents seen "
                + "has offered is 2 (host-a1)");
    }

    @Test
    void whatTheFrameworksOwnInstancesUseOnAnAgentCountsAsItsRoom() {
        AgentRoom room = new AgentRoom();
        Instance running = new Instance("t1", "hello", "web", 1, 1, InstanceState.RUNNING, "a1", "host-a1", 31000,
                true, "", Instant.EPOCH, 3, 4096);
        Instance ended = new Instance("t2", "hello", "web", 2, 1, InstanceState.FINISHED, "a1", "host-a1", 31001,
                false, "", Instant.EPOCH, 8, 8192);

        room.saw(List.of(offer("o1", "a1", 1, 1024)), List.of(running, ended));

        assertThat(room.agents()).containsExactly(new AgentRoom.Agent("host-a1", 4, 5120));
    }

    @Test
    void aSizeNeedsOneAgentWithBothItsCpusAndItsMemory() {
        AgentRoom room = new AgentRoom();
        room.saw(List.of(offer("o1", "cpu", 16, 1024), offer("o2", "mem", 1, 65536)));

        assertThat(room.refusal(8, 8192)).isEqualTo("no agent offers 8 cpus and 8192 MB together: the 2 agents seen "
                + "have at most 16 cpus (host-cpu) or 65536 MB (host-mem)");
        assertThat(room.refusal(8, 1024)).isNull();
    }

    private static Offer offer(String id, String agent, double cpus, double mem) {
        return new Offer(id, agent, "host-" + agent, new Resources(cpus, mem, List.of()));
    }
}
