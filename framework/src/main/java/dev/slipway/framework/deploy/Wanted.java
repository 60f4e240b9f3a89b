package dev.slipway.framework.deploy;

import dev.slipway.zk.Instance;
import dev.slipway.zk.Release;
import dev.slipway.zk.Size;

/**
 * An instance to launch: a slot to fill with a release, at a size.
 *
 * @param killGraceSeconds the app's kill grace, null for the framework's default
 * @param size             the process type's size, null for the framework's default
 * @param restart          the slot's restart generation ({@link dev.slipway.zk.App#restartOf})
 * @param oneOff           the one-off dyno this is ({@code slipway run}), null for a slot of the formation
 */
public record Wanted(Slot slot, Release release, Integer killGraceSeconds, Size size, int restart, OneOff oneOff) {
    /** An instance of the formation. */
    public Wanted(Slot slot, Release release, Integer killGraceSeconds, Size size, int restart) {
        this(slot, release, killGraceSeconds, size, restart, null);
    }

    /** An instance of a slot never restarted. */
    public Wanted(Slot slot, Release release, Integer killGraceSeconds, Size size) {
        this(slot, release, killGraceSeconds, size, 0);
    }

    /** An instance of the framework's default size. */
    public Wanted(Slot slot, Release release, Integer killGraceSeconds) {
        this(slot, release, killGraceSeconds, null);
    }

    /** An instance of an app with the framework's kill grace. */
    public Wanted(Slot slot, Release release) {
        this(slot, release, null);
    }

    public String command() {
        return oneOff != null ? oneOff.command() : release.processTypes().get(slot.process());
    }

    /** Whether {@code instance} already is what this slot wants: its release, at its size, since its last restart. */
    public boolean filledBy(Instance instance) {
        return Planner.current(instance, release.version(), size, restart);
    }
}
