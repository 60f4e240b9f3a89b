package dev.slipway.framework.offer;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.placement.Agent;
import dev.slipway.framework.placement.Constraints;
import dev.slipway.framework.placement.Veto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Places demands on offers, in the order given, never using more of an offer than it holds and
 * never breaking a demand's placement constraints. Among the offers that fit, a demand goes to
 * the agent running the fewest instances of its group (one app's process type), the first such
 * offer on a tie, so that a process type spreads across agents by default. Pure: the same
 * demands, offers and running instances always give the same match.
 */
public final class OfferMatcher {
    private OfferMatcher() {
    }

    public static Match match(List<Demand> demands, List<Offer> offers) {
        return match(demands, offers, Map.of());
    }

    /**
     * @param running for each group, the agents where its instances already run or are being
     *        launched (one entry per instance)
     */
    public static Match match(List<Demand> demands, List<Offer> offers, Map<String, List<Agent>> running) {
        List<Remaining> remaining = offers.stream().map(Remaining::new).toList();
        Map<String, List<Agent>> placed = new HashMap<>();
        Map<String, Map<String, Integer>> perHost = new HashMap<>();
        running.forEach((group, agents) -> {
            placed.put(group, new ArrayList<>(agents));
            Map<String, Integer> counts = perHost.computeIfAbsent(group, g -> new HashMap<>());
            agents.forEach(a -> counts.merge(a.hostname(), 1, Integer::sum));
        });
        List<Placement> placements = new ArrayList<>();
        Map<String, List<String>> vetoes = new LinkedHashMap<>();
        Set<String> constrained = new HashSet<>();
        for (Demand demand : demands) {
            List<Agent> ofGroup = placed.computeIfAbsent(demand.group(), g -> new ArrayList<>());
            Map<String, Integer> counts = perHost.computeIfAbsent(demand.group(), g -> new HashMap<>());
            // The reasons are not written while looking: most demands are placed, and writing why
            // each offer did not fit each demand was a tenth of the framework's CPU at 10,000 demands.
            Remaining best = null;
            int bestCount = Integer.MAX_VALUE;
            for (Remaining offer : remaining) {
                if (!offer.fits(demand)
                        || Constraints.veto(demand.constraints(), offer.agent, ofGroup, demand.process()).isPresent()) {
                    continue;
                }
                int here = counts.getOrDefault(offer.agent.hostname(), 0);
                if (here < bestCount) {
                    best = offer;
                    bestCount = here;
                }
            }
            if (best != null) {
                placements.add(best.take(demand));
                ofGroup.add(best.agent);
                counts.merge(best.agent.hostname(), 1, Integer::sum);
            } else {
                explain(demand, remaining, ofGroup, vetoes, constrained);
            }
        }
        return new Match(placements, vetoes, constrained);
    }

    /** Why no offer took {@code demand}: each offer's reason, or one line when all are one constraint's. */
    private static void explain(Demand demand, List<Remaining> remaining, List<Agent> ofGroup,
                                Map<String, List<String>> vetoes, Set<String> constrained) {
        List<String> reasons = new ArrayList<>();
        List<Veto> constraintVetoes = new ArrayList<>();
        for (Remaining offer : remaining) {
            String veto = offer.veto(demand);
            if (veto != null) {
                reasons.add(veto);
                continue;
            }
            Optional<Veto> turnedDown = Constraints.veto(demand.constraints(), offer.agent, ofGroup, demand.process());
            if (turnedDown.isPresent()) {
                constraintVetoes.add(turnedDown.get());
                reasons.add(offer.where() + ": " + turnedDown.get().describe());
            }
        }
        if (reasons.isEmpty()) {
            vetoes.put(demand.key(), List.of("no offer from Mesos yet"));
        } else if (constraintVetoes.size() == reasons.size()) {
            vetoes.put(demand.key(), List.of(Veto.summary(constraintVetoes)));
            constrained.add(demand.key());
        } else {
            vetoes.put(demand.key(), List.copyOf(reasons));
        }
    }

    /** What is left of one offer as demands are placed on it. */
    private static final class Remaining {
        private static final double EPSILON = 1e-9;
        private final Offer offer;
        private final Agent agent;
        private double cpus;
        private double mem;
        private final List<Resources.PortRange> ports;

        Remaining(Offer offer) {
            this.offer = offer;
            this.agent = offer.agent();
            this.cpus = offer.resources().cpus();
            this.mem = offer.resources().memMb();
            this.ports = new ArrayList<>(offer.resources().ports());
        }

        String where() {
            return "offer " + offer.id() + " on " + offer.hostname();
        }

        boolean fits(Demand demand) {
            return cpus + EPSILON >= demand.cpus() && mem + EPSILON >= demand.memMb()
                    && (!demand.needsPort() || !ports.isEmpty());
        }

        String veto(Demand demand) {
            if (cpus + EPSILON < demand.cpus()) {
                return where() + ": needs " + format(demand.cpus()) + " cpus, " + format(cpus) + " free";
            }
            if (mem + EPSILON < demand.memMb()) {
                return where() + ": needs " + format(demand.memMb()) + " MB, " + format(mem) + " MB free";
            }
            if (demand.needsPort() && ports.isEmpty()) {
                return where() + ": no free port";
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
