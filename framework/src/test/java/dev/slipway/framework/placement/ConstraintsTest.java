package dev.slipway.framework.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConstraintsTest {
    private static final Agent A1 = agent("a1", "rack-1", "zone-a");
    private static final Agent A2 = agent("a2", "rack-1", "zone-a");
    private static final Agent B1 = agent("b1", "rack-2", "zone-b");
    private static final Agent C1 = agent("c1", "rack-3", "zone-c");

    @Test
    void uniqueHostnameRefusesAnAgentThatAlreadyRunsTheProcessType() {
        Optional<Veto> veto = veto("hostname:UNIQUE", A1, List.of(A1));
        assertThat(veto).containsInstanceOf(Veto.UniqueViolated.class);
        assertThat(veto.get().describe()).isEqualTo("UNIQUE hostname: a1 already runs web");
        assertThat(veto("hostname:UNIQUE", A2, List.of(A1))).isEmpty();
    }

    @Test
    void uniqueOnAnAttributeRefusesAnotherAgentWithTheSameValue() {
        assertThat(veto("rack:UNIQUE", A2, List.of(A1)).get().describe())
                .isEqualTo("UNIQUE rack: a2 (rack rack-1) already runs web");
        assertThat(veto("rack:UNIQUE", B1, List.of(A1))).isEmpty();
    }

    @Test
    void whenEveryAgentIsTakenTheSummarySaysSo() {
        List<Agent> all = List.of(A1, A2, B1);
        List<Veto> vetoes = all.stream().map(a -> veto("hostname:UNIQUE", a, all).orElseThrow()).toList();
        assertThat(Veto.summary(vetoes)).isEqualTo("UNIQUE hostname: all 3 agents already run web");
    }

    @Test
    void clusterKeepsInstancesOnAgentsWithTheValue() {
        assertThat(veto("rack:CLUSTER:rack-1", A1, List.of())).isEmpty();
        Veto veto = veto("rack:CLUSTER:rack-1", B1, List.of()).orElseThrow();
        assertThat(veto).isEqualTo(new Veto.ClusterMismatch(Constraint.parse("rack:CLUSTER:rack-1"), "b1", "rack-2"));
        assertThat(veto.describe()).isEqualTo("CLUSTER rack:rack-1: b1 has rack rack-2");
    }

    @Test
    void clusterOnHostnamePinsToOneAgent() {
        assertThat(veto("hostname:CLUSTER:a2", A2, List.of())).isEmpty();
        assertThat(veto("hostname:CLUSTER:a2", A1, List.of())).isPresent();
    }

    @Test
    void likeAndUnlikeMatchTheWholeValue() {
        assertThat(veto("hostname:LIKE:a.*", A1, List.of())).isEmpty();
        assertThat(veto("hostname:LIKE:a", A1, List.of()).get().describe()).isEqualTo("LIKE hostname:a: a1 does not match");
        assertThat(veto("hostname:UNLIKE:b.*", A1, List.of())).isEmpty();
        assertThat(veto("hostname:UNLIKE:b.*", B1, List.of()).get().describe()).isEqualTo("UNLIKE hostname:b.*: b1 matches");
        assertThat(veto("zone:LIKE:zone-[ab]", C1, List.of())).containsInstanceOf(Veto.LikeMismatch.class);
    }

    @Test
    void maxPerAllowsUpToTheCountPerValue() {
        assertThat(veto("rack:MAX_PER:2", A1, List.of(A2))).isEmpty();
        Veto veto = veto("rack:MAX_PER:2", A1, List.of(A1, A2)).orElseThrow();
        assertThat(veto.describe()).isEqualTo("MAX_PER rack:2: a1 (rack rack-1) already runs 2 web");
        assertThat(veto("rack:MAX_PER:2", B1, List.of(A1, A2))).isEmpty();
    }

    @Test
    void groupBySpreadsInstancesEvenlyAcrossZones() {
        List<Agent> agents = List.of(A1, A2, B1, C1);
        List<Agent> placed = new ArrayList<>();
        // Place nine instances, each on the first agent GROUP_BY zone:3 allows.
        for (int i = 0; i < 9; i++) {
            Agent chosen = agents.stream().filter(a -> veto("zone:GROUP_BY:3", a, placed).isEmpty()).findFirst()
                    .orElseThrow();
            placed.add(chosen);
        }
        assertThat(placed.stream().filter(a -> a.attributes().get("zone").text().equals("zone-a"))).hasSize(3);
        assertThat(placed.stream().filter(a -> a.attributes().get("zone").text().equals("zone-b"))).hasSize(3);
        assertThat(placed.stream().filter(a -> a.attributes().get("zone").text().equals("zone-c"))).hasSize(3);
    }

    @Test
    void groupByRefusesAUsedZoneWhileFewerZonesThanWantedAreUsed() {
        Veto veto = veto("zone:GROUP_BY:3", A2, List.of(A1, B1)).orElseThrow();
        assertThat(veto).isInstanceOf(Veto.GroupByUneven.class);
        assertThat(veto.describe()).isEqualTo("GROUP_BY zone:3: a2 (zone zone-a) is used already and only 2 of 3 zones are");
    }

    @Test
    void groupByRefusesTheZoneWithMoreInstancesThanAnother() {
        Veto veto = veto("zone:GROUP_BY", A2, List.of(A1, B1, A1)).orElseThrow();
        assertThat(veto.describe()).isEqualTo("GROUP_BY zone: a2 (zone zone-a) runs 2, another zone runs 1");
        assertThat(veto("zone:GROUP_BY", B1, List.of(A1, B1, A1))).isEmpty();
    }

    @Test
    void groupByWithoutACountAcceptsAnyZoneNotUsedYetAndTheLeastUsed() {
        assertThat(veto("zone:GROUP_BY", A1, List.of())).isEmpty();
        assertThat(veto("zone:GROUP_BY", A2, List.of(A1))).isEmpty();
        assertThat(veto("zone:GROUP_BY", C1, List.of(A1, A2))).isEmpty();
    }

    @Test
    void anAgentWithoutTheAttributeOnlyPassesUnlike() {
        Agent bare = Agent.named("bare");
        for (String c : List.of("rack:UNIQUE", "rack:CLUSTER:rack-1", "rack:GROUP_BY", "rack:LIKE:.*", "rack:MAX_PER:5")) {
            assertThat(veto(c, bare, List.of())).as(c).containsInstanceOf(Veto.AttributeMissing.class);
        }
        assertThat(veto("rack:CLUSTER:rack-1", bare, List.of()).get().describe())
                .isEqualTo("CLUSTER rack:rack-1: bare has no rack attribute");
        assertThat(veto("rack:UNLIKE:rack-1", bare, List.of())).isEmpty();
    }

    @Test
    void scalarAttributesCompareAsNumbers() {
        Agent big = new Agent("big", Map.of("memory_gb", new Attribute.Scalar(64.0)));
        Agent small = new Agent("small", Map.of("memory_gb", new Attribute.Scalar(8)));
        assertThat(veto("memory_gb:CLUSTER:64", big, List.of())).isEmpty();
        assertThat(veto("memory_gb:CLUSTER:64.00", big, List.of())).isEmpty();
        assertThat(veto("memory_gb:CLUSTER:64", small, List.of()).get().describe())
                .isEqualTo("CLUSTER memory_gb:64: small has memory_gb 8");
        assertThat(veto("memory_gb:LIKE:[0-9]{2}", big, List.of())).isEmpty();
        assertThat(veto("memory_gb:LIKE:[0-9]{2}", small, List.of())).isPresent();
        assertThat(veto("memory_gb:UNIQUE", new Agent("big2", Map.of("memory_gb", new Attribute.Scalar(64))),
                List.of(big))).containsInstanceOf(Veto.UniqueViolated.class);
    }

    @Test
    void theFirstFailingConstraintOfSeveralIsReported() {
        List<Constraint> both = List.of(Constraint.parse("zone:LIKE:zone-[ab]"), Constraint.parse("hostname:UNIQUE"));
        assertThat(Constraints.veto(both, A1, List.of(A1), "web")).containsInstanceOf(Veto.UniqueViolated.class);
        assertThat(Constraints.veto(both, C1, List.of(), "web")).containsInstanceOf(Veto.LikeMismatch.class);
        assertThat(Constraints.veto(both, B1, List.of(A1), "web")).isEmpty();
    }

    private static Optional<Veto> veto(String constraint, Agent agent, List<Agent> placed) {
        return Constraints.veto(Constraint.parse(constraint), agent, placed, "web");
    }

    private static Agent agent(String hostname, String rack, String zone) {
        return new Agent(hostname, Map.of("rack", new Attribute.Text(rack), "zone", new Attribute.Text(zone)));
    }
}
