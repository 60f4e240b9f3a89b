package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.resources.Resources;
import org.apache.mesos.v1.Protos.Offer;

/** An offer sent and not yet accepted, declined or rescinded. */
record OutstandingOffer(String id, String frameworkId, String agentId, Resources resources, Offer offer, long timer) {
}
