package dev.slipway.framework.deploy;

import dev.slipway.zk.Release;

/**
 * An instance to launch: a slot to fill with a release.
 *
 * @param killGraceSeconds the app's kill grace, null for the framework's default
 */
public record Wanted(Slot slot, Release release, Integer killGraceSeconds) {
    /** An instance of an app with the framework's kill grace. */
    public Wanted(Slot slot, Release release) {
        this(slot, release, null);
    }

    public String command() {
        return release.processTypes().get(slot.process());
    }
}
