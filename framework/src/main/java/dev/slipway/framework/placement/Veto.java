package dev.slipway.framework.placement;

import java.util.List;

/**
 * Why a constraint keeps an instance off one agent: data, rendered for users by {@link #describe()}
 * and, across all the agents offered, by {@link #summary(List)}.
 */
public sealed interface Veto {
    Constraint constraint();

    /** The agent turned down. */
    String hostname();

    /** One line for this agent, e.g. {@code UNIQUE hostname: sim-agent-0001 already runs web}. */
    String describe();

    /** The constraint as users read it first in a veto: {@code UNIQUE hostname}, {@code CLUSTER rack:rack-1}. */
    default String heading() {
        Constraint c = constraint();
        return c.operator() + " " + c.field() + (c.value().isEmpty() ? "" : ":" + c.value());
    }

    /**
     * One line for the vetoes of every agent offered: when all of them come from the same
     * constraint, a short sentence ({@code UNIQUE hostname: all 3 agents already run web});
     * otherwise each agent's reason, joined.
     */
    static String summary(List<Veto> vetoes) {
        if (vetoes.isEmpty()) {
            return "";
        }
        Veto first = vetoes.get(0);
        boolean oneConstraint = vetoes.stream().allMatch(v -> v.constraint().equals(first.constraint())
                && v.getClass() == first.getClass());
        if (vetoes.size() > 1 && oneConstraint && first instanceof UniqueViolated u) {
            return first.heading() + ": all " + vetoes.size() + " agents already run " + u.process();
        }
        if (vetoes.size() > 1 && oneConstraint && first instanceof ClusterMismatch) {
            return first.heading() + ": none of the " + vetoes.size() + " agents offered has "
                    + first.constraint().field() + " " + first.constraint().value();
        }
        return String.join("; ", vetoes.stream().map(Veto::describe).toList());
    }

    /** UNIQUE: an instance of the process type already runs where the field has this value. */
    record UniqueViolated(Constraint constraint, String hostname, String value, String process) implements Veto {
        @Override
        public String describe() {
            return heading() + ": " + where(constraint, hostname, value) + " already runs " + process;
        }
    }

    /** CLUSTER: the agent's field has another value. */
    record ClusterMismatch(Constraint constraint, String hostname, String value) implements Veto {
        @Override
        public String describe() {
            return heading() + ": " + hostname + " has " + constraint.field() + " " + value;
        }
    }

    /** LIKE: the agent's field does not match the regular expression. */
    record LikeMismatch(Constraint constraint, String hostname, String value) implements Veto {
        @Override
        public String describe() {
            return heading() + ": " + where(constraint, hostname, value) + " does not match";
        }
    }

    /** UNLIKE: the agent's field matches the regular expression. */
    record UnlikeMatched(Constraint constraint, String hostname, String value) implements Veto {
        @Override
        public String describe() {
            return heading() + ": " + where(constraint, hostname, value) + " matches";
        }
    }

    /** MAX_PER: as many instances as allowed already run where the field has this value. */
    record MaxPerReached(Constraint constraint, String hostname, String value, int running, String process)
            implements Veto {
        @Override
        public String describe() {
            return heading() + ": " + where(constraint, hostname, value) + " already runs " + running + " " + process;
        }
    }

    /**
     * GROUP_BY: placing here would unbalance the groups: this value already holds more
     * instances than the least used one, or too few distinct values are used yet.
     */
    record GroupByUneven(Constraint constraint, String hostname, String value, int here, int least, int groups)
            implements Veto {
        @Override
        public String describe() {
            String field = constraint.field();
            if (groups < constraint.count()) {
                return heading() + ": " + where(constraint, hostname, value) + " is used already and only " + groups
                        + " of " + constraint.count() + " " + field + "s are";
            }
            return heading() + ": " + where(constraint, hostname, value) + " runs " + here + ", another " + field
                    + " runs " + least;
        }
    }

    /** Any operator but UNLIKE: the agent has no such attribute. */
    record AttributeMissing(Constraint constraint, String hostname) implements Veto {
        @Override
        public String describe() {
            return heading() + ": " + hostname + " has no " + constraint.field() + " attribute";
        }
    }

    private static String where(Constraint constraint, String hostname, String value) {
        return Constraint.HOSTNAME.equals(constraint.field()) ? hostname
                : hostname + " (" + constraint.field() + " " + value + ")";
    }
}
