package dev.slipway.framework.offer;

import dev.slipway.framework.mesos.Offer;

/** A demand placed on an offer, with the port taken from it (0 when none was needed). */
public record Placement(Demand demand, Offer offer, int port) {
}
