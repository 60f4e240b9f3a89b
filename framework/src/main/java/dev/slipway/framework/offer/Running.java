package dev.slipway.framework.offer;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.placement.Agent;
import dev.slipway.zk.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each group's live instances run, as {@link OfferMatcher} takes it. Agents are remembered
 * from their offers (their attributes do not change while they run); an agent not offered since
 * this framework started is known by its hostname only, without attributes.
 */
public final class Running {
    private final Map<String, Agent> agents = new HashMap<>();

    /** These agents and those of {@code offers}, leaving this one as it is. */
    public Running plus(List<Offer> offers) {
        Running copy = new Running();
        copy.agents.putAll(agents);
        copy.saw(offers);
        return copy;
    }

    /** Remembers the agents of these offers. */
    public void saw(List<Offer> offers) {
        offers.forEach(o -> agents.put(o.agentId(), o.agent()));
    }

    /** The agent an instance runs on, as last offered (its hostname only when not offered since the start). */
    public Agent agentOf(Instance instance) {
        return agents.getOrDefault(instance.agentId(), Agent.named(instance.host()));
    }

    /** Each group's agents, one entry per live (not terminal) instance. */
    public Map<String, List<Agent>> byGroup(List<Instance> instances) {
        Map<String, List<Agent>> result = new HashMap<>();
        for (Instance instance : instances) {
            if (instance.state().terminal()) {
                continue;
            }
            Agent agent = agentOf(instance);
            result.computeIfAbsent(Demand.group(instance.app(), instance.process()), g -> new ArrayList<>()).add(agent);
        }
        return result;
    }
}
