package dev.slipway.framework.schedule;

import dev.slipway.framework.TestConfigs;
import dev.slipway.framework.deploy.LaunchFactory;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario language of the scheduler core's tests, without ZooKeeper, HTTP or a thread: a
 * model, a clock the test moves ({@link #now}), events {@link #given} and {@link #when} (each step
 * applied to the model as the driver does once its write is stored), and offers.
 */
abstract class CoreScenario {
    @TempDir
    Path dir;
    Core core;
    Model model = new Model();
    Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @BeforeEach
    void makeCore() throws Exception {
        core = new Core(new LaunchFactory(TestConfigs.onLoopback(dir), TestConfigs.signer()));
    }

    void given(Event... events) {
        for (Event event : events) {
            when(event);
        }
    }

    /** Decides on {@code event} and applies the step, as the driver does once the write is stored. */
    Step when(Event event) {
        Step step = core.decide(model, event, now);
        Map<String, Integer> versions = new HashMap<>();
        step.puts().keySet().forEach(id -> versions.put(id, model.version(id) + 1));
        model.apply(step, versions);
        return step;
    }

    static Offer offer(String id) {
        return offer(id, "agent-1");
    }

    static Offer offer(String id, String agent) {
        return new Offer(id, agent, agent + ".example", new Resources(4, 8192,
                List.of(new Resources.PortRange(31000, 31100))));
    }
}
