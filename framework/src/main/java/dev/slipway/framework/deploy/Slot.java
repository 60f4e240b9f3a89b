package dev.slipway.framework.deploy;

import dev.slipway.zk.Instance;

/** A place in an app's formation, {@code web.2} of {@code hello}, whatever release fills it. */
public record Slot(String app, String process, int index) {
    public static Slot of(Instance instance) {
        return new Slot(instance.app(), instance.process(), instance.index());
    }

    @Override
    public String toString() {
        return app + " " + process + "." + index;
    }
}
