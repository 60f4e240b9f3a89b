package dev.slipway.framework.placement;

/** Marathon's constraint operators, with what each says about its value. */
public enum Operator {
    /** At most one instance per value of the field: {@code hostname:UNIQUE}. Takes no value. */
    UNIQUE,
    /** Only on agents whose field has the value: {@code rack:CLUSTER:rack-1}. Needs a value. */
    CLUSTER,
    /** Spread evenly across the field's values, optionally at least n of them: {@code zone:GROUP_BY:3}. */
    GROUP_BY,
    /** Only on agents whose field matches the whole regular expression: {@code hostname:LIKE:web.*}. */
    LIKE,
    /** Only on agents whose field does not match the regular expression (or lacks the attribute). */
    UNLIKE,
    /** At most n instances per value of the field: {@code rack:MAX_PER:2}. */
    MAX_PER
}
