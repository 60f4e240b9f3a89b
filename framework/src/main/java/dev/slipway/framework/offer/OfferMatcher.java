package dev.slipway.framework.offer;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places demands on offers, first fit in the order given, never using more of an offer than it
 * holds. Pure: the same demands and offers always give the same match.
 */
public final class OfferMatcher {
    private OfferMatcher() {
    }

    public static Match match(List<Demand> demands, List<Offer> offers) {
        List<Remaining> remaining = offers.stream().map(Remaining::new).toList();
        List<Placement> placements = new ArrayList<>();
        Map<String, List<String>> vetoes = new LinkedHashMap<>();
        for (Demand demand : demands) {
            List<String> reasons = new ArrayList<>();
            Placement placed = null;
            for (Remaining offer : remaining) {
                String veto = offer.veto(demand);
                if (veto == null) {
                    placed = offer.take(demand);
                    break;
                }
                reasons.add(veto);
            }
            if (placed != null) {
                placements.add(placed);
            } else {
                vetoes.put(demand.key(), reasons.isEmpty() ? List.of("no offer from Mesos yet") : List.copyOf(reasons));
            }
        }
        return new Match(placements, vetoes);
    }

    /** What is left of one offer as demands are placed on it. */
    private static final class Remaining {
        private static final double EPSILON = 1e-9;
        private final Offer offer;
        private double cpus;
        private double mem;
        private final List<Resources.PortRange> ports;

        Remaining(Offer offer) {
            this.offer = offer;
            this.cpus = offer.resources().cpus();
            this.mem = offer.resources().memMb();
            this.ports = new ArrayList<>(offer.resources().ports());
        }

        String veto(Demand demand) {
            String where = "offer " + offer.id() + " on " + offer.hostname();
            if (cpus + EPSILON < demand.cpus()) {
                return where + ": needs " + format(demand.cpus()) + " cpus, " + format(cpus) + " free";
            }
            if (mem + EPSILON < demand.memMb()) {
                return where + ": needs " + format(demand.memMb()) + " MB, " + format(mem) + " MB free";
            }
            if (demand.needsPort() && ports.isEmpty()) {
                return where + ": no free port";
            }
            return null;
        }

        Placement take(Demand demand) {
            cpus -= demand.cpus();
            mem -= demand.memMb();
            int port = 0;
            if (demand.needsPort()) {
                Resources.PortRange first = ports.remove(0);
                port = first.begin();
                if (first.size() > 1) {
                    ports.add(0, new Resources.PortRange(first.begin() + 1, first.end()));
                }
            }
            return new Placement(demand, offer, port);
        }

        private static String format(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : String.format("%.2f", value);
        }
    }
}
