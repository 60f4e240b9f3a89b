package dev.slipway.framework.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an instance's changes say in its app's log. */
class DynoEventsTest {
    @Test
    void aWebInstanceIsUpOnceHealthy() {
        Instance starting = web(InstanceState.STARTING, false, "");
        Instance running = web(InstanceState.RUNNING, false, "");
        Instance healthy = web(InstanceState.RUNNING, true, "");

        assertThat(DynoEvents.change(starting, running)).isEmpty();
        assertThat(DynoEvents.change(running, healthy)).contains("State changed from starting to up");
    }

    @Test
    void aCrashSaysWhy() {
        assertThat(DynoEvents.change(web(InstanceState.RUNNING, true, ""), web(InstanceState.FAILED, false,
                "exited with code 3"))).contains("State changed from up to crashed: exited with code 3");
        assertThat(DynoEvents.change(web(InstanceState.RUNNING, true, ""), web(InstanceState.KILLING, false,
                "stopping"))).contains("State changed from up to stopping");
        assertThat(DynoEvents.change(web(InstanceState.KILLING, false, ""), web(InstanceState.KILLED, false,
                "killed"))).contains("State changed from stopping to down");
    }

    @Test
    void theLineGoesToTheInstancesAppUnderItsName() {
        List<String> said = new ArrayList<>();

        DynoEvents.tell((app, dyno, message) -> said.add(app + " " + dyno + " " + message),
                web(InstanceState.STARTING, false, ""), web(InstanceState.RUNNING, true, ""));

        assertThat(said).containsExactly("hello web.1 State changed from starting to up");
    }

    private static Instance web(InstanceState state, boolean healthy, String message) {
        return new Instance("hello.web.1.v1.abc", "hello", "web", 1, 1, state, "agent", "127.0.0.1", 31000, healthy,
                message, Instant.EPOCH);
    }
}
