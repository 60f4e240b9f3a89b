package dev.slipway.framework.deploy;

import dev.slipway.zk.Release;

/** An instance to launch: a slot to fill with a release. */
public record Wanted(Slot slot, Release release) {
    public String command() {
        return release.processTypes().get(slot.process());
    }
}
