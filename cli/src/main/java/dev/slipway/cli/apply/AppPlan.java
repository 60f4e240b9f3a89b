package dev.slipway.cli.apply;

import java.util.List;

/**
 * What converging one app takes: its steps in order (none: it is up to date), or why it could not
 * be planned ({@code error}, non-null: its current state could not be read).
 */
public record AppPlan(AppSpec spec, boolean create, List<Step> steps, String error) {
    public AppPlan {
        steps = List.copyOf(steps);
    }

    static AppPlan failed(AppSpec spec, String error) {
        return new AppPlan(spec, false, List.of(), error);
    }

    public String name() {
        return spec.name();
    }

    public boolean upToDate() {
        return error == null && steps.isEmpty();
    }
}
