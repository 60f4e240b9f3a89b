package dev.slipway.framework.offer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import java.util.List;
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

    private static Demand web(String key) {
        return new Demand(key, 0.15, 352, true);
    }

    private static Offer offer(String id, double cpus, double mem, int portBegin, int portEnd) {
        List<Resources.PortRange> ports = portEnd < portBegin ? List.of() : List.of(new Resources.PortRange(portBegin, portEnd));
        return new Offer(id, "agent-1", "host-" + id, new Resources(cpus, mem, ports));
    }
}
