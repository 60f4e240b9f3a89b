package dev.slipway.framework.deploy;

import dev.slipway.framework.offer.Demand;
import dev.slipway.framework.placement.Agent;
import dev.slipway.framework.placement.Constraints;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Replacing in place during a rolling deploy (or resize): when a slot's new instance cannot be placed only
 * because of its constraints, which count the old instance in the same slot (say
 * {@code hostname:UNIQUE} with as many instances as agents), the old instance is stopped first,
 * so that the deploy goes on instead of waiting forever. One slot of a process type at a time,
 * and only while the type has no instance stopping or of the new release not yet ready, so that
 * at most one slot is down at once. Pure.
 */
public final class InPlace {
    private InPlace() {
    }

    /**
     * @param constrained the demands (by key) left over only because of their constraints
     * @param demands     every demand of the round, by key
     * @param wanted      what each demand launches, by key
     * @param instances   the instances known
     * @param agentOf     the agent an instance runs on
     * @return the old instances to stop now
     */
    public static List<Instance> toStop(Set<String> constrained, Map<String, Demand> demands,
            Map<String, Wanted> wanted, List<Instance> instances, Function<Instance, Agent> agentOf) {
        List<Instance> stop = new ArrayList<>();
        Set<String> groupsDone = new HashSet<>();
        for (String key : constrained.stream().sorted().toList()) {
            Demand demand = demands.get(key);
            Wanted want = wanted.get(key);
            if (demand == null || want == null || groupsDone.contains(demand.group())) {
                continue;
            }
            List<Instance> group = instances.stream().filter(i -> !i.state().gone()
                    && Demand.group(i.app(), i.process()).equals(demand.group())).toList();
            boolean settled = group.stream().noneMatch(i -> i.state() == InstanceState.KILLING
                    || (want.filledBy(i) && !Planner.ready(i)));
            Instance old = group.stream().filter(i -> Slot.of(i).equals(want.slot()) && !want.filledBy(i)
                    && i.state() == InstanceState.RUNNING).findFirst().orElse(null);
            if (!settled || old == null) {
                continue;
            }
            List<Agent> others = group.stream().filter(i -> !i.taskId().equals(old.taskId())).map(agentOf).toList();
            // Only when the new instance would fit where the old one runs, once it is gone.
            if (Constraints.veto(demand.constraints(), agentOf.apply(old), others, demand.process()).isEmpty()) {
                stop.add(old);
                groupsDone.add(demand.group());
            }
        }
        return stop;
    }
}
