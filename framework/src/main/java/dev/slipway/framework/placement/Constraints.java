package dev.slipway.framework.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates constraints as Marathon does (its {@code Constraints.scala}): an agent is judged
 * against the agents where the same app's process type already runs or is being launched. Pure.
 */
public final class Constraints {
    private Constraints() {
    }

    /** The first constraint that keeps an instance of {@code process} off {@code agent}, if any. */
    public static Optional<Veto> veto(List<Constraint> constraints, Agent agent, List<Agent> placed, String process) {
        for (Constraint constraint : constraints) {
            Optional<Veto> veto = veto(constraint, agent, placed, process);
            if (veto.isPresent()) {
                return veto;
            }
        }
        return Optional.empty();
    }

    public static Optional<Veto> veto(Constraint c, Agent agent, List<Agent> placed, String process) {
        Attribute attribute = agent.field(c.field());
        String host = agent.hostname();
        if (attribute == null) {
            // Marathon: an agent without the attribute only passes UNLIKE.
            return c.operator() == Operator.UNLIKE ? Optional.empty()
                    : Optional.of(new Veto.AttributeMissing(c, host));
        }
        String value = attribute.text();
        return switch (c.operator()) {
            case UNIQUE -> count(c, placed, value) == 0 ? Optional.empty()
                    : Optional.of(new Veto.UniqueViolated(c, host, value, process));
            case CLUSTER -> attribute.is(c.value()) ? Optional.empty()
                    : Optional.of(new Veto.ClusterMismatch(c, host, value));
            case LIKE -> c.pattern().matcher(value).matches() ? Optional.empty()
                    : Optional.of(new Veto.LikeMismatch(c, host, value));
            case UNLIKE -> c.pattern().matcher(value).matches()
                    ? Optional.of(new Veto.UnlikeMatched(c, host, value)) : Optional.empty();
            case MAX_PER -> {
                int running = count(c, placed, value);
                yield running < c.count() ? Optional.empty()
                        : Optional.of(new Veto.MaxPerReached(c, host, value, running, process));
            }
            case GROUP_BY -> groupBy(c, host, value, placed);
        };
    }

    /**
     * Marathon's GROUP_BY: a value not used yet is always fine; a used one only when at least
     * the wanted number of values are in use and it holds no more instances than the least used.
     */
    private static Optional<Veto> groupBy(Constraint c, String host, String value, List<Agent> placed) {
        Map<String, Integer> groups = new HashMap<>();
        for (Agent agent : placed) {
            Attribute a = agent.field(c.field());
            if (a != null) {
                groups.merge(a.text(), 1, Integer::sum);
            }
        }
        Integer here = groups.get(value);
        if (here == null) {
            return Optional.empty();
        }
        int least = groups.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        if (groups.size() >= c.count() && here == least) {
            return Optional.empty();
        }
        return Optional.of(new Veto.GroupByUneven(c, host, value, here, least, groups.size()));
    }

    private static int count(Constraint c, List<Agent> placed, String value) {
        int n = 0;
        for (Agent agent : placed) {
            Attribute a = agent.field(c.field());
            if (a != null && a.text().equals(value)) {
                n++;
            }
        }
        return n;
    }
}
