package dev.slipway.framework.offer;

/** What one instance needs from an offer, its executor's share included. */
public record Demand(String key, double cpus, double memMb, boolean needsPort) {
}
