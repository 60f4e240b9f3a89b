package dev.slipway.framework.mesos;

import dev.slipway.framework.placement.Agent;
import dev.slipway.framework.placement.Attribute;
import java.util.Map;
import java.util.Objects;

/**
 * A resource offer from one agent, as the scheduler core sees it.
 *
 * @param attributes the agent's text and scalar attributes, for placement constraints
 */
public record Offer(String id, String agentId, String hostname, Resources resources, Map<String, Attribute> attributes) {
    public Offer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(resources, "resources");
        hostname = hostname == null ? "" : hostname;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** An offer from an agent without attributes. */
    public Offer(String id, String agentId, String hostname, Resources resources) {
        this(id, agentId, hostname, resources, Map.of());
    }

    /** The agent as placement constraints see it. */
    public Agent agent() {
        return new Agent(hostname, attributes);
    }
}
