package dev.slipway.framework.offer;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.zk.Instance;
import dev.slipway.zk.Size;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How large each agent is, as far as this framework can tell: the most it has offered at once,
 * plus what this framework's own instances there were using then. The v1 scheduler API tells a
 * framework what is free, not an agent's total, so this is a lower bound: an agent busy with
 * other frameworks since this one started looks smaller than it is. Fed from the scheduler's
 * thread, read by the API's (thread-safe).
 */
public final class AgentRoom {
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();

    /** One agent's largest known room. */
    public record Agent(String hostname, double cpus, double memMb) {
    }

    /** Remembers how much the agents of these offers hold (several offers of one agent add up). */
    public void saw(List<Offer> offers) {
        saw(offers, List.of());
    }

    /**
     * The same, counting what {@code live} instances (this framework's, not ended) use on the
     * agents offered, as held by them: an agent full of Slipway's own instances is as large as
     * what they use and what it offers.
     */
    public void saw(List<Offer> offers, List<Instance> live) {
        Map<String, Agent> round = new HashMap<>();
        for (Offer offer : offers) {
            round.merge(offer.agentId(), new Agent(offer.hostname(), offer.resources().cpus(),
                    offer.resources().memMb()), AgentRoom::plus);
        }
        for (Instance instance : live) {
            if (!instance.state().terminal() && round.containsKey(instance.agentId())) {
                round.merge(instance.agentId(), new Agent("", instance.cpus(), instance.memoryMb()), AgentRoom::plus);
            }
        }
        round.forEach((id, seen) -> agents.merge(id, seen, (old, now) -> new Agent(now.hostname(),
                Math.max(old.cpus(), now.cpus()), Math.max(old.memMb(), now.memMb()))));
    }

    /** The agents seen, by their largest known room. */
    public List<Agent> agents() {
        return List.copyOf(agents.values());
    }

    /**
     * Why no agent seen could ever hold an instance needing {@code cpus} and {@code memMb} (its
     * size and its executor's share), e.g. {@code no agent offers 64.05 cpus: the most any has
     * offered is 4 (host-a)}; null when one could, or when no agent has been seen yet.
     */
    public String refusal(double cpus, double memMb) {
        List<Agent> known = agents();
        if (known.isEmpty() || known.stream().anyMatch(a -> a.cpus() + 1e-9 >= cpus && a.memMb() + 1e-9 >= memMb)) {
            return null;
        }
        Agent mostCpus = known.stream().max(Comparator.comparingDouble(Agent::cpus)).orElseThrow();
        Agent mostMem = known.stream().max(Comparator.comparingDouble(Agent::memMb)).orElseThrow();
        if (mostCpus.cpus() + 1e-9 < cpus) {
            return "no agent offers " + Size.format(cpus) + " cpus: the most any of the " + known.size()
                    + " agents seen has offered is " + Size.format(mostCpus.cpus()) + " (" + mostCpus.hostname() + ")";
        }
        if (mostMem.memMb() + 1e-9 < memMb) {
            return "no agent offers " + Size.format(memMb) + " MB of memory: the most any of the " + known.size()
                    + " agents seen has offered is " + Size.format(mostMem.memMb()) + " MB (" + mostMem.hostname()
                    + ")";
        }
        return "no agent offers " + Size.format(cpus) + " cpus and " + Size.format(memMb) + " MB together: the "
                + known.size() + " agents seen have at most " + Size.format(mostCpus.cpus()) + " cpus ("
                + mostCpus.hostname() + ") or " + Size.format(mostMem.memMb()) + " MB (" + mostMem.hostname() + ")";
    }

    private static Agent plus(Agent a, Agent b) {
        return new Agent(a.hostname().isEmpty() ? b.hostname() : a.hostname(), a.cpus() + b.cpus(),
                a.memMb() + b.memMb());
    }
}
