package dev.slipway.framework.deploy;

import dev.slipway.zk.Instance;
import java.util.List;

/** What the scheduler should do now: instances to launch and instances to stop. */
public record Plan(List<Wanted> launches, List<Instance> kills) {
    public Plan {
        launches = List.copyOf(launches);
        kills = List.copyOf(kills);
    }
}
