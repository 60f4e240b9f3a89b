package dev.slipway.framework.placement;

/** A constraint that cannot be parsed or makes no sense; the message names it and says why. */
public final class InvalidConstraint extends IllegalArgumentException {
    public InvalidConstraint(String message) {
        super(message);
    }
}
