package dev.slipway.framework.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.zk.App;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.DeploymentState;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Release;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deployments in the scheduler core alone, with a clock the test moves: every new release begins
 * one; it succeeds, is superseded, or fails at its timeout or when every slot crash-loops, and is
 * then rolled back on its own as a new release copying the last healthy one, while the old
 * instances keep serving; after cutover a watch window rolls back a crash loop.
 */
class CoreDeploymentTest extends CoreScenario {
    private static final String GOOD = "a".repeat(64);
    private static final String BAD = "b".repeat(64);
    int offers;

    @Test
    void aFirstReleaseThatBecomesHealthyIsASucceededDeploymentAndTheRunningRelease() {
        String v1 = healthyV1();

        Deployment deployment = model.deployment("hello");
        assertThat(deployment.to()).isEqualTo(1);
        assertThat(deployment.state()).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(deployment.progress()).isEqualTo("1/1 web up");
        assertThat(deployment.running()).isEqualTo(1);
        assertThat(deployment.steps()).extracting(Deployment.Step::message).contains("succeeded: 1/1 web up");
        assertThat(model.instance(v1).healthy()).isTrue();
    }

    @Test
    void aDeploymentSucceedsOnlyOnceEveryRouterServesTheRouteWithItsNewInstance() {
        given(new Event.RoutersAcked(Map.of("router-a", 0L, "router-b", 0L)));
        given(release(1, GOOD), new Event.Subscribed("fw-1"));
        String task = launch();

        Step healthy = when(update(task, InstanceState.RUNNING, true, ""));
        long routed = healthy.routes().get("hello").version();
        assertThat(model.deployment("hello").state()).as("no router serves it yet").isEqualTo(DeploymentState.IN_PROGRESS);
        assertThat(model.deployment("hello").progress()).isEqualTo("0/1 web up");

        given(new Event.RoutersAcked(Map.of("router-a", routed, "router-b", routed - 1)));
        assertThat(model.deployment("hello").state()).as("router-b serves an older route").isEqualTo(DeploymentState.IN_PROGRESS);

        given(new Event.RoutersAcked(Map.of("router-a", routed, "router-b", routed)));
        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(model.deployment("hello").progress()).isEqualTo("1/1 web up");
    }

    @Test
    void aRouterThatNeverAcknowledgesHoldsADeploymentForABoundedWhileOnly() {
        given(new Event.RoutersAcked(Map.of("router-a", 0L)));
        given(release(1, GOOD), new Event.Subscribed("fw-1"));
        String task = launch();
        given(update(task, InstanceState.RUNNING, true, ""));
        given(new Event.Tick("test"));
        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.IN_PROGRESS);

        now = now.plus(Deployments.ROUTED_WITHIN);
        given(new Event.Tick("test"));

        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.SUCCEEDED);
    }

    @Test
    void aDeploymentNotHealthyWithinItsTimeoutIsRolledBackAsANewReleaseWhileTheOldInstanceServes() {
        String v1 = healthyV1();
        given(release(2, BAD));
        String v2 = launch();
        given(update(v2, InstanceState.RUNNING, false, "health check GET / answered 500"));
        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.IN_PROGRESS);
        assertThat(model.deployment("hello").progress()).isEqualTo("0/1 web up, 1 old instance to stop");
        now = now.plusSeconds(App.DEFAULT_DEPLOY_TIMEOUT_SECONDS);

        Step step = when(new Event.Tick("test"));

        assertThat(step.deployments()).extracting(Deployment::to, Deployment::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, DeploymentState.ROLLED_BACK),
                org.assertj.core.groups.Tuple.tuple(3, DeploymentState.PENDING));
        assertThat(step.deployments().get(0).reason()).isEqualTo("not healthy within 300 s: web.1 not healthy: "
                + "health check GET / answered 500; rolled back to v1 as v3");
        assertThat(step.rollbacks()).singleElement().satisfies(r -> {
            assertThat(r.rollsBack()).isEqualTo(2);
            assertThat(r.release().version()).isEqualTo(3);
            assertThat(r.release().slug()).isEqualTo(GOOD);
            assertThat(r.release().description()).startsWith("Rollback to v1 (v2 failed: not healthy within 300 s");
        });
        assertThat(model.release("hello").version()).isEqualTo(3);
        assertThat(model.deployment("hello").automatic()).isTrue();
        assertThat(model.deployment("hello").running()).as("the running release stays v1").isEqualTo(1);
        assertThat(model.instance(v1).state()).as("v1 serves throughout").isEqualTo(InstanceState.RUNNING);
        assertThat(model.route("hello").endpoints()).extracting(e -> e.taskId()).containsExactly(v1);

        String v3 = launch();
        given(update(v3, InstanceState.RUNNING, true, ""));
        stopTheStopping();
        assertThat(model.instance(v2).state()).as("the failed release's instance is stopped")
                .isEqualTo(InstanceState.KILLED);
        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(model.deployment("hello").running()).isEqualTo(3);
    }

    @Test
    void whenEverySlotsProcessExitsBeforeAnyBecameHealthyTheDeploymentFailsAtTheFirstCrashWithTheExitCode() {
        String v1 = healthyV1();
        given(release(2, BAD));
        String v2 = launch();

        Step crashed = when(update(v2, InstanceState.FAILED, false, "exited with code 127"));

        assertThat(crashed.deployments()).first().satisfies(d -> {
            assertThat(d.to()).isEqualTo(2);
            assertThat(d.state()).isEqualTo(DeploymentState.ROLLED_BACK);
            assertThat(d.reason()).isEqualTo("every instance crashed before any became healthy: web.1 crashed: "
                    + "exited with code 127; rolled back to v1 as v3");
        });
        assertThat(model.instance(v1).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void aLaunchMesosLostFailsTheDeploymentOnlyAfterEverySlotCrashedThreeTimesInARow() {
        String v1 = healthyV1();
        given(release(2, BAD));
        Step last = null;
        for (int crash = 0; crash < Deployments.FAIL_FAST_CRASHES; crash++) {
            assertThat(model.deployment("hello").state()).as("after %d lost launches", crash)
                    .isIn(DeploymentState.PENDING, DeploymentState.IN_PROGRESS);
            String v2 = launch();
            last = when(update(v2, InstanceState.LOST, false, "agent gone"));
            now = now.plusSeconds(2);
        }

        assertThat(last.deployments()).first().satisfies(d -> {
            assertThat(d.to()).isEqualTo(2);
            assertThat(d.state()).isEqualTo(DeploymentState.ROLLED_BACK);
            assertThat(d.reason()).isEqualTo("every instance crashed before any became healthy: web.1 crashed: "
                    + "agent gone (3 times in a row); rolled back to v1 as v3");
        });
        assertThat(now).isBefore(Instant.parse("2026-12-07T12:01:00Z"));
        assertThat(model.instance(v1).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void aCrashLoopWithinTheWatchWindowAfterCutoverRollsBack() {
        String v1 = healthyV1();
        given(release(2, BAD));
        String v2 = launch();
        given(update(v2, InstanceState.RUNNING, true, ""));
        assertThat(model.deployment("hello").state()).as("v1 still to stop").isEqualTo(DeploymentState.IN_PROGRESS);
        stopTheStopping();
        assertThat(model.instance(v1).state()).isEqualTo(InstanceState.KILLED);
        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(model.deployment("hello").running()).isEqualTo(2);

        Step last = null;
        String crashing = v2;
        for (int crash = 0; crash < Deployments.WATCH_CRASHES; crash++) {
            now = now.plusSeconds(2);
            last = when(update(crashing, InstanceState.FAILED, false, "exited with code 137"));
            if (crash + 1 < Deployments.WATCH_CRASHES) {
                now = now.plusSeconds(2);
                crashing = launch();
                given(update(crashing, InstanceState.RUNNING, true, ""));
            }
        }

        assertThat(last.deployments()).first().satisfies(d -> {
            assertThat(d.to()).isEqualTo(2);
            assertThat(d.state()).isEqualTo(DeploymentState.ROLLED_BACK);
            assertThat(d.reason()).startsWith("web.1 crashed 2 times within 60 s of the cutover: exited with code 137");
        });
        assertThat(last.rollbacks()).singleElement().satisfies(r -> assertThat(r.release().slug()).isEqualTo(GOOD));
        assertThat(model.deployment("hello").fallback()).isEqualTo(1);
    }

    @Test
    void aNewerReleaseSupersedesADeploymentUnderWayAndLeavesNoInstanceOfItBehind() {
        healthyV1();
        given(release(2, BAD));
        String v2 = launch();

        Step step = when(release(3, GOOD));

        assertThat(step.deployments()).extracting(Deployment::to, Deployment::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, DeploymentState.SUPERSEDED),
                org.assertj.core.groups.Tuple.tuple(3, DeploymentState.PENDING));
        assertThat(model.deployment("hello").fallback()).isEqualTo(1);
        String v3 = launch();
        given(update(v3, InstanceState.RUNNING, true, ""));
        stopTheStopping();

        assertThat(model.instances()).filteredOn(i -> !i.state().gone()).extracting(Instance::release)
                .containsExactly(3);
        assertThat(model.instance(v2).state().gone()).isTrue();
        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.SUCCEEDED);
    }

    @Test
    void anInstanceOfASupersededReleaseThatHasNotStartedIsStoppedAtOnceWhileTheServingOneStays() {
        String v1 = healthyV1();
        given(release(2, GOOD));
        String v2 = launch();
        given(update(v2, InstanceState.STARTING, null, ""));

        given(release(3, GOOD));
        Step tick = when(new Event.Tick("test"));

        assertThat(tick.puts().get(v2).state()).isEqualTo(InstanceState.KILLING);
        assertThat(model.instance(v1).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(tick.routes().get("hello")).as("v1 keeps serving").isNull();
    }

    @Test
    void anInstanceOfASupersededReleaseThatRunsButIsNotHealthyYetWaitsForItsSuccessor() {
        healthyV1();
        given(release(2, GOOD));
        String v2 = launch();
        given(update(v2, InstanceState.RUNNING, false, ""));

        given(release(3, GOOD));
        Step tick = when(new Event.Tick("test"));

        assertThat(tick.puts()).doesNotContainKey(v2);
    }

    @Test
    void aFirstReleaseThatFailedWithNothingToRollBackToSucceedsLateOnceItBecomesHealthy() {
        given(release(1, GOOD), new Event.Subscribed("fw-1"));
        String v1 = launch();
        given(update(v1, InstanceState.RUNNING, false, "warming up"));
        now = now.plusSeconds(App.DEFAULT_DEPLOY_TIMEOUT_SECONDS);
        given(new Event.Tick("test"));
        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.FAILED);
        assertThat(model.deployment("hello").reason()).isEqualTo("not healthy within 300 s: web.1 not healthy: "
                + "warming up; no earlier release became healthy to roll back to");

        given(update(v1, InstanceState.RUNNING, true, ""));

        assertThat(model.deployment("hello").state()).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(model.deployment("hello").running()).isEqualTo(1);
    }

    // ---- Given, when.

    /** v1 of hello deployed, its web.1 healthy; returns its task id. */
    private String healthyV1() {
        given(release(1, GOOD), new Event.Subscribed("fw-1"));
        String task = launch();
        given(update(task, InstanceState.RUNNING, true, ""));
        return task;
    }

    /** An offer round that launches one instance; returns its task id. */
    private String launch() {
        Step step = when(new Event.Offers(List.of(offer("o" + (++offers)))));
        assertThat(step.effects(Effect.Accept.class)).as("a launch").hasSize(1);
        return step.effects(Effect.Accept.class).get(0).launches().get(0).taskId();
    }

    /** Planning rounds past the drain, with kills sent. */
    private void ticks() {
        given(new Event.Tick("test"));
        now = now.plus(java.time.Duration.ofSeconds(1));
        given(new Event.Tick("test"));
    }

    /** Planning rounds that stop what is to stop, and Mesos telling each stopped instance killed. */
    private void stopTheStopping() {
        ticks();
        model.instances().stream().filter(i -> i.state() == InstanceState.KILLING).toList()
                .forEach(i -> given(update(i.taskId(), InstanceState.KILLED, false, "")));
        ticks();
    }

    private Event release(int version, String slug) {
        return new Event.AppsChanged(List.of(new Event.AppRead(
                App.named("hello").formation(Map.of("web", 1)).release(version).createdAt(now).build(),
                new Release(version, slug, 10, Map.of("web", "./web"), "v" + version, now))), List.of());
    }

    private static Event update(String task, InstanceState state, Boolean healthy, String message) {
        return new Event.Updates(List.of(new TaskUpdate(task, "agent-1", state, healthy, message, "",
                "SOURCE_EXECUTOR", new byte[] {1, 2, 3})));
    }
}
