package dev.slipway.framework.offer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.placement.Agent;
import dev.slipway.framework.placement.Attribute;
import dev.slipway.framework.placement.Constraint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfferMatcherTest {
    @Test
    void placesADemandThatFitsAndTakesTheFirstFreePort() {
        Match match = OfferMatcher.match(List.of(web("hello web.1")), List.of(offer("o1", 1.0, 1024, 31000, 31005)));

        assertThat(match.placements()).singleElement().satisfies(p -> {
            assertThat(p.offer().id()).isEqualTo("o1");
            assertThat(p.port()).isEqualTo(31000);
        });
        assertThat(match.vetoes()).isEmpty();
    }

    @Test
    void neverUsesMoreOfAnOfferThanItHolds() {
        List<Demand> demands = List.of(web("a web.1"), web("a web.2"), web("a web.3"));
        Match match = OfferMatcher.match(demands, List.of(offer("o1", 1.0, 710, 31000, 31010)));

        assertThat(match.placements()).hasSize(2);
        assertThat(match.placements()).extracting(Placement::port).containsExactly(31000, 31001);
        assertThat(match.vetoes()).containsOnlyKeys("a web.3");
        assertThat(match.vetoes().get("a web.3")).singleElement().asString()
                .contains("needs 352 MB").contains("MB free");
    }

    @Test
    void saysWhyADemandWasNotPlacedOnEachOffer() {
        Match match = OfferMatcher.match(List.of(new Demand("big web.1", 4, 128, true)),
                List.of(offer("o1", 2, 4096, 31000, 31000), offer("o2", 8, 4096, 0, -1)));

        assertThat(match.placements()).isEmpty();
        assertThat(match.vetoes().get("big web.1")).containsExactly(
                "offer o1 on host-o1: needs 4 cpus, 2 free",
                "offer o2 on host-o2: no free port");
    }

    @Test
    void workersNeedNoPort() {
        Match match = OfferMatcher.match(List.of(new Demand("a worker.1", 0.1, 64, false)),
                List.of(offer("o1", 1, 1024, 0, -1)));
        assertThat(match.placements()).singleElement().extracting(Placement::port).isEqualTo(0);
    }

    @Test
    void aDemandWithNoOffersAtAllIsVetoedAsWaitingForMesos() {
        Match match = OfferMatcher.match(List.of(web("a web.1")), List.of());
        assertThat(match.vetoes().get("a web.1")).containsExactly("no offer from Mesos yet");
    }

    @Test
    void portsAreTakenAcrossSeveralRanges() {
        Offer offer = new Offer("o1", "agent", "host", new Resources(4, 4096,
                List.of(new Resources.PortRange(31000, 31000), new Resources.PortRange(32000, 32001))));
        Match match = OfferMatcher.match(List.of(web("a"), web("b"), web("c"), web("d")), List.of(offer));
        assertThat(match.placements()).extracting(Placement::port).containsExactly(31000, 32000, 32001);
        assertThat(match.vetoes()).containsOnlyKeys("d");
    }

    @Test
    void aProcessTypeSpreadsAcrossAgentsWhenSeveralFit() {
        List<Offer> offers = List.of(agentOffer("o1", "sim-agent-0001", "r1", "z1"),
                agentOffer("o2", "sim-agent-0002", "r2", "z2"), agentOffer("o3", "sim-agent-0003", "r3", "z1"));
        List<Demand> demands = List.of(grouped("a web.1"), grouped("a web.2"), grouped("a web.3"), grouped("a web.4"));

        Match match = OfferMatcher.match(demands, offers);

        assertThat(match.placements()).extracting(p -> p.offer().hostname())
                .containsExactly("sim-agent-0001", "sim-agent-0002", "sim-agent-0003", "sim-agent-0001");
    }

    @Test
    void spreadingCountsTheInstancesAlreadyRunning() {
        List<Offer> offers = List.of(agentOffer("o1", "sim-agent-0001", "r1", "z1"),
                agentOffer("o2", "sim-agent-0002", "r2", "z2"));
        Map<String, List<Agent>> running = Map.of("a web", List.of(offers.get(0).agent()));

        Match match = OfferMatcher.match(List.of(grouped("a web.2")), offers, running);

        assertThat(match.placements()).singleElement().extracting(p -> p.offer().hostname()).isEqualTo("sim-agent-0002");
    }

    @Test
    void uniqueHostnameLeavesTheFourthInstancePendingWithTheReason() {
        List<Offer> offers = List.of(agentOffer("o1", "sim-agent-0001", "r1", "z1"),
                agentOffer("o2", "sim-agent-0002", "r2", "z2"), agentOffer("o3", "sim-agent-0003", "r3", "z1"));
        List<Constraint> unique = List.of(Constraint.parse("hostname:UNIQUE"));
        List<Demand> demands = List.of(grouped("a web.1", unique), grouped("a web.2", unique),
                grouped("a web.3", unique), grouped("a web.4", unique));

        Match match = OfferMatcher.match(demands, offers);

        assertThat(match.placements()).hasSize(3);
        assertThat(match.vetoes()).containsExactly(
                Map.entry("a web.4", List.of("UNIQUE hostname: all 3 agents already run web")));
    }

    @Test
    void clusterKeepsEveryInstanceInOneRack() {
        List<Offer> offers = List.of(agentOffer("o1", "sim-agent-0001", "r1", "z1"),
                agentOffer("o2", "sim-agent-0002", "r2", "z2"), agentOffer("o4", "sim-agent-0004", "r1", "z1"));
        List<Constraint> cluster = List.of(Constraint.parse("rack:CLUSTER:r1"));

        Match match = OfferMatcher.match(List.of(grouped("a web.1", cluster), grouped("a web.2", cluster),
                grouped("a web.3", cluster)), offers);

        assertThat(match.placements()).extracting(p -> p.offer().hostname())
                .containsExactly("sim-agent-0001", "sim-agent-0004", "sim-agent-0001");
    }

    @Test
    void groupByZoneSpreadsAcrossZonesEvenWhenOneZoneOffersMore() {
        // Four agents in z1, one in z2: without the constraint three of four would land in z1.
        List<Offer> offers = List.of(agentOffer("o1", "h1", "r1", "z1"), agentOffer("o2", "h2", "r1", "z1"),
                agentOffer("o3", "h3", "r1", "z1"), agentOffer("o4", "h4", "r1", "z1"), agentOffer("o5", "h5", "r2", "z2"));
        List<Constraint> groupBy = List.of(Constraint.parse("zone:GROUP_BY:2"));
        List<Demand> demands = List.of(grouped("a web.1", groupBy), grouped("a web.2", groupBy),
                grouped("a web.3", groupBy), grouped("a web.4", groupBy));

        Match match = OfferMatcher.match(demands, offers);

        assertThat(match.placements()).extracting(p -> p.offer().attributes().get("zone").text())
                .containsExactly("z1", "z2", "z1", "z2");
    }

    @Test
    void aResourceShortfallAndAConstraintAreBothShownPerOffer() {
        List<Offer> offers = List.of(offer("small", 0.1, 4096, 31000, 31005), agentOffer("o2", "h2", "r2", "z2"));
        Match match = OfferMatcher.match(List.of(grouped("a web.1", List.of(Constraint.parse("rack:CLUSTER:r1")))),
                offers);

        assertThat(match.vetoes().get("a web.1")).containsExactly(
                "offer small on host-small: needs 0.15 cpus, 0.10 free",
                "offer o2 on h2: CLUSTER rack:r1: h2 has rack r2");
    }

    private static Demand grouped(String key) {
        return grouped(key, List.of());
    }

    private static Demand grouped(String key, List<Constraint> constraints) {
        return new Demand(key, 0.15, 352, true, "a web", "web", constraints);
    }

    /** An agent laid out as mesos-local's SimulatedAgents: rack and zone text attributes. */
    private static Offer agentOffer(String id, String hostname, String rack, String zone) {
        return new Offer(id, "agent-" + hostname, hostname, new Resources(8, 32768,
                List.of(new Resources.PortRange(31000, 32000))),
                Map.of("rack", new Attribute.Text(rack), "zone", new Attribute.Text(zone)));
    }

    private static Demand web(String key) {
        return new Demand(key, 0.15, 352, true);
    }

    private static Offer offer(String id, double cpus, double mem, int portBegin, int portEnd) {
        List<Resources.PortRange> ports = portEnd < portBegin ? List.of() : List.of(new Resources.PortRange(portBegin, portEnd));
        return new Offer(id, "agent-1", "host-" + id, new Resources(cpus, mem, ports));
    }
}
