package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.agent.AgentLink;
import dev.slipway.mesoslocal.allocator.Allocator;
import dev.slipway.mesoslocal.resources.Resources;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outstanding offers: made from what the allocator hands out, and ended by an ACCEPT, a DECLINE,
 * the offer timeout (a RESCIND) or the framework going away. Whatever an offer held goes back to
 * the allocator, with the scheduler's filter where Mesos applies one.
 */
final class Offers {
    private static final Logger LOG = LoggerFactory.getLogger(Offers.class);

    /** The resources of the offers an ACCEPT names and their agent, or why those offers are invalid. */
    record Taken(Resources resources, String agentId, String error) {
    }

    private final Vertx vertx;
    private final String masterId;
    private final Function<String, AgentLink> agents;
    private final Duration offerTimeout;
    private final Function<String, Framework> frameworks;
    private final Allocator allocator;
    private final Map<String, OutstandingOffer> offers = new LinkedHashMap<>();
    private long nextOfferId;

    Offers(Vertx vertx, String masterId, Function<String, AgentLink> agents, Duration offerTimeout,
            Function<String, Framework> frameworks, Function<Allocator.OfferSink, Allocator> allocatorFactory) {
        this.vertx = vertx;
        this.masterId = masterId;
        this.agents = agents;
        this.offerTimeout = offerTimeout;
        this.frameworks = frameworks;
        this.allocator = allocatorFactory.apply(this::make);
    }

    Allocator allocator() {
        return allocator;
    }

    Collection<OutstandingOffer> all() {
        return List.copyOf(offers.values());
    }

    Resources offeredTo(Framework framework) {
        Resources sum = Resources.EMPTY;
        for (String offerId : framework.offerIds) {
            OutstandingOffer offer = offers.get(offerId);
            if (offer != null) {
                sum = sum.plus(offer.resources());
            }
        }
        return sum;
    }

    /** Sends the framework one OFFERS event with an offer per agent. */
    private void make(String frameworkId, Map<String, Resources> byAgent) {
        Framework framework = frameworks.apply(frameworkId);
        if (framework == null || !framework.connected()) {
            byAgent.forEach((agentId, resources) -> allocator.recover(frameworkId, agentId, resources, 0));
            return;
        }
        Event.Offers.Builder event = Event.Offers.newBuilder();
        byAgent.forEach((agentId, resources) -> event.addOffers(make(framework, agents.apply(agentId), resources)));
        framework.send(Event.newBuilder().setType(Event.Type.OFFERS).setOffers(event).build());
    }

    private Offer make(Framework framework, AgentLink agent, Resources resources) {
        String frameworkId = framework.id;
        String id = masterId + "-O" + nextOfferId++;
        String allocationRole = framework.multiRole() ? framework.role() : null;
        Offer.Builder offer = Offer.newBuilder()
                .setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
                .setAgentId(AgentID.newBuilder().setValue(agent.id()))
                .setHostname(agent.info().getHostname())
                .setUrl(agent.url())
                .addAllResources(resources.toProtos(allocationRole))
                .addAllAttributes(agent.info().getAttributesList());
        framework.executorsOn(agent.id()).keySet().forEach(executorId ->
                offer.addExecutorIds(ExecutorID.newBuilder().setValue(executorId)));
        if (allocationRole != null) {
            offer.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole));
        }
        long timer = offerTimeout.isZero() ? -1 : vertx.setTimer(offerTimeout.toMillis(), t -> rescind(id));
        offers.put(id, new OutstandingOffer(id, frameworkId, agent.id(), resources, offer.build(), timer));
        framework.offerIds.add(id);
        LOG.debug("Sending offer {} of agent {} with {} to framework {}", id, agent.id(), resources, framework);
        return offer.build();
    }

    private void rescind(String offerId) {
        OutstandingOffer offer = offers.get(offerId);
        if (offer == null) {
            return;
        }
        remove(offer);
        allocator.recover(offer.frameworkId(), offer.agentId(), offer.resources(), 0);
        Framework framework = frameworks.apply(offer.frameworkId());
        if (framework != null) {
            LOG.info("Rescinding offer {} of framework {}", offerId, framework);
            framework.send(Event.newBuilder().setType(Event.Type.RESCIND).setRescind(Event.Rescind.newBuilder()
                    .setOfferId(OfferID.newBuilder().setValue(offerId))).build());
        }
    }

    /** Ends the framework's offers silently (it disconnected, failed over, or is removed). */
    void removeAll(Framework framework) {
        for (String offerId : List.copyOf(framework.offerIds)) {
            OutstandingOffer offer = offers.get(offerId);
            if (offer != null) {
                remove(offer);
                allocator.recover(framework.id, offer.agentId(), offer.resources(), 0);
            }
        }
        framework.offerIds.clear();
    }

    void decline(Framework framework, Call.Decline decline) {
        for (OfferID offerId : decline.getOfferIdsList()) {
            OutstandingOffer offer = offers.get(offerId.getValue());
            if (offer == null || !offer.frameworkId().equals(framework.id)) {
                LOG.warn("Ignoring decline of offer {} since it is no longer valid", offerId.getValue());
                continue;
            }
            remove(offer);
            allocator.recover(framework.id, offer.agentId(), offer.resources(),
                    decline.getFilters().getRefuseSeconds());
        }
    }

    /**
     * Ends the offers an ACCEPT names and returns their resources; when any is invalid (Mesos's
     * {@code validation::offer::validate}) the valid ones go back to the allocator instead.
     */
    Taken take(Framework framework, List<OfferID> offerIds) {
        String error = offerIds.isEmpty() ? "No offers specified" : validate(framework, offerIds);
        Resources taken = Resources.EMPTY;
        String agentId = null;
        for (OfferID offerId : offerIds) {
            OutstandingOffer offer = offers.get(offerId.getValue());
            if (offer == null || !offer.frameworkId().equals(framework.id)) {
                continue;
            }
            remove(offer);
            if (error != null) {
                allocator.recover(framework.id, offer.agentId(), offer.resources(), 0);
            } else {
                taken = taken.plus(offer.resources());
                agentId = offer.agentId();
            }
        }
        return new Taken(taken, agentId, error);
    }

    private String validate(Framework framework, List<OfferID> offerIds) {
        Set<String> seen = new HashSet<>();
        String agentId = null;
        for (OfferID offerId : offerIds) {
            if (!seen.add(offerId.getValue())) {
                return "Duplicate offer " + offerId.getValue() + " in the same call";
            }
            OutstandingOffer offer = offers.get(offerId.getValue());
            if (offer == null) {
                return "Offer " + offerId.getValue() + " is no longer valid";
            }
            if (!offer.frameworkId().equals(framework.id)) {
                return "Offer " + offerId.getValue() + " has invalid framework " + offer.frameworkId()
                        + " while framework " + framework.id + " is expected";
            }
            if (agentId != null && !agentId.equals(offer.agentId())) {
                return "Aggregated offers must belong to one single agent. Offer " + offerId.getValue()
                        + " uses agent " + offer.agentId() + " and agent " + agentId;
            }
            agentId = offer.agentId();
        }
        return null;
    }

    void stop() {
        offers.values().forEach(offer -> {
            if (offer.timer() != -1) {
                vertx.cancelTimer(offer.timer());
            }
        });
    }

    private void remove(OutstandingOffer offer) {
        offers.remove(offer.id());
        if (offer.timer() != -1) {
            vertx.cancelTimer(offer.timer());
        }
        Framework framework = frameworks.apply(offer.frameworkId());
        if (framework != null) {
            framework.offerIds.remove(offer.id());
        }
    }
}
