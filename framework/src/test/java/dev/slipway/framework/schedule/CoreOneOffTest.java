package dev.slipway.framework.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.TestConfigs;
import dev.slipway.framework.deploy.LaunchFactory;
import dev.slipway.framework.deploy.OneOff;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.zk.App;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Json;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.Release;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-off dynos in the scheduler core ({@code slipway run}): launched on an offer beside the
 * formation with the command and environment asked for, then never planned, restarted nor routed,
 * stopped when asked or when their time to live runs out.
 */
class CoreOneOffTest {
    @TempDir
    Path dir;
    OneOffs oneOffs = new OneOffs();
    Core core;
    Model model = new Model();
    Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @BeforeEach
    void makeCore() throws Exception {
        core = new Core(new LaunchFactory(TestConfigs.onLoopback(dir), TestConfigs.signer()), oneOffs);
        given(new Event.AppsChanged(List.of(read("hello")), List.of()), new Event.Subscribed("fw-1"));
    }

    @Test
    void aOneOffIsLaunchedOnTheNextOfferWithItsCommandItsEnvironmentAndAPort() throws Exception {
        OneOff asked = oneOffs.ask(model, "hello", "echo hello; exit 3", Map.of("EXTRA", "given"), null, 0, now);

        Step step = when(new Event.Offers(List.of(offer("o1"))));

        Instance launched = step.puts().values().stream().filter(OneOff::is).findFirst().orElseThrow();
        assertThat(launched.name()).isEqualTo(asked.name()).matches("run\\.\\d{4}");
        assertThat(launched.release()).isEqualTo(1);
        JsonNode data = Json.mapper().readTree(step.effects(Effect.Accept.class).get(0).launches().stream()
                .filter(l -> l.taskId().equals(launched.taskId())).findFirst().orElseThrow().data());
        assertThat(data.path("command").asText()).isEqualTo("echo hello; exit 3");
        assertThat(data.path("env").path("EXTRA").asText()).isEqualTo("given");
        assertThat(data.path("env").path("DYNO").asText()).isEqualTo(asked.name());
        assertThat(data.path("env").path("FOO").asText()).isEqualTo("from-config");
        assertThat(data.path("port").asInt()).isPositive();
        assertThat(data.path("health").path("type").asText()).isEqualTo("none");
        oneOffs.stored(model);
        assertThat(oneOffs.pending("hello", asked.name())).isFalse();
        assertThat(when(new Event.Offers(List.of(offer("o2")))).effects(Effect.Accept.class))
                .as("launched once").isEmpty();
    }

    @Test
    void anEndedOneOffIsNeitherRestartedNorCountedAsACrashNorRouted() {
        OneOff asked = oneOffs.ask(model, "hello", "exit 3", Map.of(), null, 0, now);
        String task = launchedTask(asked);
        Step running = when(new Event.Updates(List.of(update(task, InstanceState.RUNNING, "running"))));
        assertThat(running.routes().getOrDefault("hello", model.route("hello")).endpoints())
                .noneMatch(e -> e.taskId().equals(task));

        Step ended = when(new Event.Updates(List.of(update(task, InstanceState.FAILED, "exited with code 3"))));

        assertThat(ended.effects(Effect.SaveCrash.class)).isEmpty();
        assertThat(OneOff.exitCode(model.instance(task))).isEqualTo(3);
        Step tick = when(new Event.Tick("test"));
        assertThat(tick.effects(Effect.Revive.class)).as("nothing waits to launch").isEmpty();
        assertThat(when(new Event.Offers(List.of(offer("o9")))).effects(Effect.Accept.class)).isEmpty();
    }

    @Test
    void theFormationsPlanLeavesARunningOneOffAlone() {
        OneOff asked = oneOffs.ask(model, "hello", "sleep 100", Map.of(), null, 0, now);
        String task = launchedTask(asked);
        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, "running"))));

        Step tick = when(new Event.Tick("test"));

        assertThat(tick.puts()).doesNotContainKey(task);
        assertThat(model.instance(task).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void aStopAskedForLeadsToAKillAndATimeToLiveRunningOutToo() {
        OneOff stopped = oneOffs.ask(model, "hello", "sleep 100", Map.of(), null, 0, now);
        String first = launchedTask(stopped);
        given(new Event.Updates(List.of(update(first, InstanceState.RUNNING, "running"))));

        assertThat(when(new Event.StopOneOff("hello", stopped.name())).puts().get(first).state())
                .isEqualTo(InstanceState.KILLING);
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).extracting(Effect.Kill::taskId)
                .containsExactly(first);

        OneOff limited = oneOffs.ask(model, "hello", "sleep 100", Map.of(), null, 5, now);
        String second = launchedTask(limited);
        given(new Event.Updates(List.of(update(second, InstanceState.RUNNING, "running"))));
        assertThat(when(new Event.Tick("test")).puts()).doesNotContainKey(second);
        now = now.plusSeconds(5);
        Instance killing = when(new Event.Tick("test")).puts().get(second);
        assertThat(killing.state()).isEqualTo(InstanceState.KILLING);
        assertThat(killing.message()).contains("time to live of 5 s");
    }

    @Test
    void anUnknownAppOrOneWithoutAReleaseIsRefused() {
        assertThatThrownBy(() -> oneOffs.ask(model, "nope", "true", Map.of(), null, 0, now))
                .isInstanceOf(NotFound.class);
        given(new Event.AppsChanged(List.of(new Event.AppRead(App.named("empty").createdAt(now).build(), null)),
                List.of()));
        assertThatThrownBy(() -> oneOffs.ask(model, "empty", "true", Map.of(), null, 0, now))
                .isInstanceOf(Conflict.class).hasMessageContaining("has no release yet");
    }

    @Test
    void theExitCodeIsReadFromTheExecutorsTerminalMessage() {
        assertThat(OneOff.exitCode(ended(InstanceState.FINISHED, "exited with code 0"))).isZero();
        assertThat(OneOff.exitCode(ended(InstanceState.FAILED, "exited with code 127"))).isEqualTo(127);
        assertThat(OneOff.exitCode(ended(InstanceState.FAILED, "exited 137: out of memory (limit 512 MB)")))
                .isEqualTo(137);
        assertThat(OneOff.exitCode(ended(InstanceState.KILLED, "killed: killed by signal 15"))).isEqualTo(143);
        assertThat(OneOff.exitCode(ended(InstanceState.LOST, "agent gone"))).isNull();
        assertThat(OneOff.exitCode(ended(InstanceState.RUNNING, "exited with code 1"))).isNull();
    }

    @Test
    void aDeploymentSucceedsWhileAOneOffOfTheOldReleaseStillRuns() {
        given(new Event.AppsChanged(List.of(release("web1", 1)), List.of()));
        String web1 = launchedTaskOf("web1", "web.1");
        given(new Event.Updates(List.of(healthy(web1))));
        OneOff asked = oneOffs.ask(model, "web1", "sleep 1000", Map.of(), null, 0, now);
        String oneOff = launchedTaskOf("web1", asked.name());
        given(new Event.Updates(List.of(update(oneOff, InstanceState.RUNNING, "running"))));

        given(new Event.AppsChanged(List.of(release("web1", 2)), List.of()));
        String web2 = launchedTaskOf("web1", "web.1");
        given(new Event.Updates(List.of(healthy(web2))), new Event.Tick("test"));
        given(new Event.Updates(List.of(update(web1, InstanceState.KILLED, "killed"))), new Event.Tick("test"));

        assertThat(model.deployment("web1").to()).isEqualTo(2);
        assertThat(model.deployment("web1").state()).isEqualTo(dev.slipway.zk.DeploymentState.SUCCEEDED);
        assertThat(model.instance(oneOff).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(model.instance(oneOff).release()).isEqualTo(1);
    }

    // ---- Given, when.

    private String launchedTaskOf(String app, String name) {
        Step step = when(new Event.Offers(List.of(offer("o-" + app + "-" + name + "-" + now.toEpochMilli()))));
        oneOffs.stored(model);
        now = now.plusMillis(1);
        return step.puts().values().stream().filter(i -> i.app().equals(app) && i.name().equals(name)
                && i.state() == InstanceState.LAUNCHING).findFirst().orElseThrow().taskId();
    }

    private Event.AppRead release(String app, int version) {
        return new Event.AppRead(App.named(app).formation(Map.of("web", 1)).release(version).createdAt(now).build(),
                new Release(version, String.valueOf(version).repeat(64), 10, Map.of("web", "./web"), "", now));
    }

    private static TaskUpdate healthy(String task) {
        return new TaskUpdate(task, "agent-1", InstanceState.RUNNING, true, "", "", "SOURCE_EXECUTOR",
                new byte[] {1, 2, 3});
    }

    private String launchedTask(OneOff asked) {
        Step step = when(new Event.Offers(List.of(offer("o-" + asked.name()))));
        oneOffs.stored(model);
        return step.puts().values().stream().filter(i -> i.name().equals(asked.name())).findFirst().orElseThrow()
                .taskId();
    }

    private static Instance ended(InstanceState state, String message) {
        return new Instance("hello.run.1234.v1.x", "hello", "run", 1234, 1, state, "a", "h", 0, false, message,
                Instant.EPOCH);
    }

    private void given(Event... events) {
        for (Event event : events) {
            when(event);
        }
    }

    private Step when(Event event) {
        Step step = core.decide(model, event, now);
        Map<String, Integer> versions = new HashMap<>();
        step.puts().keySet().forEach(id -> versions.put(id, model.version(id) + 1));
        model.apply(step, versions);
        return step;
    }

    private Event.AppRead read(String app) {
        return new Event.AppRead(App.named(app).formation(Map.of("web", 0)).release(1).createdAt(now).build(),
                new Release(1, "c".repeat(64), 10, Map.of("web", "./web"), Map.of(), Map.of(), "", now,
                        Map.of("FOO", "from-config")));
    }

    private static Offer offer(String id) {
        return new Offer(id, "agent-1", "agent-1.example", new Resources(4, 8192,
                List.of(new Resources.PortRange(31000, 31100))));
    }

    private static TaskUpdate update(String task, InstanceState state, String message) {
        return new TaskUpdate(task, "agent-1", state, null, message, "", "SOURCE_EXECUTOR", new byte[] {1, 2, 3});
    }
}
