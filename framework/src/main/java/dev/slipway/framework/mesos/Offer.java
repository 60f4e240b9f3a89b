package dev.slipway.framework.mesos;

import java.util.Objects;

/** A resource offer from one agent, as the scheduler core sees it. */
public record Offer(String id, String agentId, String hostname, Resources resources) {
    public Offer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(resources, "resources");
        hostname = hostname == null ? "" : hostname;
    }
}
