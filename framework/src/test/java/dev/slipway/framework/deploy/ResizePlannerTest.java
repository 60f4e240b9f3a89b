package dev.slipway.framework.deploy;

import static dev.slipway.framework.deploy.PlannerTest.NOW;
import static dev.slipway.framework.deploy.PlannerTest.release;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.offer.Demand;
import dev.slipway.framework.placement.Agent;
import dev.slipway.framework.placement.Constraint;
import dev.slipway.zk.App;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Release;
import dev.slipway.zk.Size;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A resized process type rolls to its new size slot by slot, as a new release does. */
class ResizePlannerTest {
    static final Size LARGE = new Size("large", 0.5, 1024);
    static final Size SMALL = new Size("small", 0.1, 256);

    @Test
    void aResizedTypesInstancesAreReplacedAndTheLaunchCarriesTheNewSize() {
        AppState app = resized(Map.of("web", 2), LARGE);
        Instance one = instance(1, SMALL, true);
        Instance two = instance(2, SMALL, true);

        Plan plan = Planner.plan(List.of(app), List.of(one, two), s -> true, NOW);

        assertThat(plan.launches()).extracting(w -> w.slot().toString()).containsExactly("hello web.1", "hello web.2");
        assertThat(plan.launches()).extracting(Wanted::size).containsOnly(LARGE);
        assertThat(plan.kills()).as("the old size keeps serving until its successor is ready").isEmpty();
    }

    @Test
    void anInstanceOfTheOldSizeIsStoppedOnlyOnceItsSuccessorIsReady() {
        AppState app = resized(Map.of("web", 1), LARGE);
        Instance old = instance(1, SMALL, true);
        Instance starting = instance(1, LARGE, false);
        Instance ready = instance(1, LARGE, true);

        assertThat(Planner.plan(List.of(app), List.of(old, starting), s -> true, NOW).kills()).isEmpty();
        Plan done = Planner.plan(List.of(app), List.of(old, ready), s -> true, NOW);
        assertThat(done.kills()).containsExactly(old);
        assertThat(done.launches()).isEmpty();
    }

    @Test
    void anInstanceAlreadyOfTheSizeIsKeptAndATypeNeverResizedKeepsWhatItRuns() {
        Release release = release(1, "web", "worker");
        App app = App.named("hello").formation(Map.of("web", 1, "worker", 1)).release(1).createdAt(NOW)
                .sizes(Map.of("web", LARGE)).build();
        Instance web = instance(1, LARGE, true);
        Instance worker = new Instance("hello.worker.1.v1.x", "hello", "worker", 1, 1, InstanceState.RUNNING, "agent",
                "127.0.0.1", 0, false, "", NOW, 0.1, 256);
        Instance unknownSize = new Instance("hello.worker.1.v1.y", "hello", "worker", 1, 1, InstanceState.RUNNING,
                "agent", "127.0.0.1", 0, false, "", NOW);

        Plan plan = Planner.plan(List.of(new AppState(app, release)), List.of(web, worker), s -> true, NOW);
        Plan older = Planner.plan(List.of(new AppState(app, release)), List.of(web, unknownSize), s -> true, NOW);

        assertThat(plan.launches()).isEmpty();
        assertThat(plan.kills()).isEmpty();
        assertThat(older.launches()).as("launched before sizes were recorded: the default fits it").isEmpty();
    }

    @Test
    void anInstanceOfUnknownSizeIsReplacedWhenItsTypeIsResized() {
        AppState app = resized(Map.of("web", 1), SMALL);
        Instance unknown = new Instance("hello.web.1.v1.x", "hello", "web", 1, 1, InstanceState.RUNNING, "agent",
                "127.0.0.1", 31001, true, "", NOW);

        assertThat(Planner.plan(List.of(app), List.of(unknown), s -> true, NOW).launches()).hasSize(1);
    }

    @Test
    void aResizeThatUniqueLeavesNoRoomForIsReplacedInPlaceOldInstanceFirst() {
        AppState app = resized(Map.of("web", 1), LARGE);
        Instance old = instance(1, SMALL, true);
        Wanted want = Planner.plan(List.of(app), List.of(old), s -> true, NOW).launches().get(0);
        Demand demand = new Demand(want.slot().toString(), 0.55, 1120, true, Demand.group("hello", "web"), "web",
                List.of(Constraint.parse("hostname:UNIQUE")));

        List<Instance> stop = InPlace.toStop(Set.of(demand.key()), Map.of(demand.key(), demand),
                Map.of(demand.key(), want), List.of(old), i -> Agent.named("agent-1"));

        assertThat(stop).containsExactly(old);
    }

    private static AppState resized(Map<String, Integer> formation, Size web) {
        Release release = release(1, "web");
        return new AppState(App.named("hello").formation(formation).release(1).createdAt(NOW)
                .sizes(Map.of("web", web)).build(), release);
    }

    private static Instance instance(int index, Size size, boolean healthy) {
        return new Instance("hello.web." + index + ".v1." + size.memoryMb(), "hello", "web", index, 1,
                InstanceState.RUNNING, "agent", "127.0.0.1", 31000 + index, healthy, "", NOW, size.cpus(),
                size.memoryMb());
    }
}
