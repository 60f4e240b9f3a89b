package dev.slipway.framework.placement;

import java.util.Map;
import java.util.Objects;

/** Where an instance runs or could run, as constraints see it: the agent's hostname and attributes. */
public record Agent(String hostname, Map<String, Attribute> attributes) {
    public Agent {
        Objects.requireNonNull(hostname, "hostname");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static Agent named(String hostname) {
        return new Agent(hostname, Map.of());
    }

    /** The value of a constraint's field on this agent, null when the agent lacks that attribute. */
    Attribute field(String field) {
        return Constraint.HOSTNAME.equals(field) ? new Attribute.Text(hostname) : attributes.get(field);
    }
}
