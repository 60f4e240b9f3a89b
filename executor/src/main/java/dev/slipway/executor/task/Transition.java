package dev.slipway.executor.task;

import java.util.List;

/** The outcome of one event: the next state and what to do about it, in order. */
public record Transition(Task next, List<Effect> effects) {
    public Transition {
        effects = List.copyOf(effects);
    }
}
