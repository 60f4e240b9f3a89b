package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** A scheduler driving fifty simulated agents in three racks. */
class SimulatedAgentsTest extends MesosLocalTestBase {
    private static final int AGENTS = 50;
    // Four tasks fill an agent exactly: nothing is left over to be re-offered once the accept's
    // filter expires, so the first offer after a kill holds just what the kill freed.
    private static final double CPUS = 2.4;
    private static final long MEM = 768;
    /** A test task and its own executor: 0.5 + 0.1 cpus, 128 + 64 MB. */
    private static final double TASK_CPUS = 0.6;
    private static final double TASK_MEM = 192;

    @Override
    SimulatedAgents simulatedAgents() {
        return new SimulatedAgents(AGENTS, CPUS, MEM, 10_000, 31000, 31999, List.of("r1", "r2", "r3"),
                List.of("z1", "z2"));
    }

    @Test
    void eachSimulatedAgentIsOfferedWithItsHostnameAndAttributes() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());

        List<Offer> offers = scheduler.awaitOffers(AGENTS);

        assertThat(offers.stream().map(Offer::getAgentId).distinct()).hasSize(AGENTS);
        assertThat(offers).allSatisfy(offer -> {
            assertThat(offer.getHostname()).matches("sim-agent-\\d{4}");
            assertThat(scalar(offer, "cpus")).isEqualTo(CPUS);
            assertThat(scalar(offer, "mem")).isEqualTo(MEM);
            assertThat(text(offer, "rack")).isIn("r1", "r2", "r3");
            assertThat(text(offer, "zone")).isIn("z1", "z2");
        });
        Offer first = offers.stream().filter(o -> o.getHostname().equals("sim-agent-0001")).findFirst().orElseThrow();
        assertThat(text(first, "rack")).isEqualTo("r1");
        assertThat(text(first, "zone")).isEqualTo("z1");
        Map<String, Long> perRack = offers.stream().collect(Collectors.groupingBy(o -> text(o, "rack"),
                Collectors.counting()));
        assertThat(perRack).containsOnlyKeys("r1", "r2", "r3").containsValues(17L, 17L, 16L);

        JsonObject state = state();
        assertThat(state.getJsonArray("slaves")).hasSize(AGENTS);
        assertThat(state.getJsonArray("slaves").getJsonObject(0).getJsonObject("attributes").getString("rack"))
                .isEqualTo("r1");
    }

    @Test
    void twoHundredTasksRunAndAKilledOneGivesItsResourcesBack() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo()
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)).build());
        List<Offer> offers = scheduler.awaitOffers(AGENTS);
        List<String> taskIds = new ArrayList<>();
        for (Offer offer : offers) {
            TaskInfo[] tasks = IntStream.range(0, 4)
                    .mapToObj(i -> task(offer, "task-" + taskIds.size() + "-" + i, "run", 0.5, 128))
                    .toArray(TaskInfo[]::new);
            for (TaskInfo task : tasks) {
                taskIds.add(task.getTaskId().getValue());
            }
            scheduler.launch(offer, tasks);
        }
        assertThat(taskIds).hasSize(200);

        scheduler.awaitAcknowledging(() -> runningTasks(scheduler).size() == 200);
        assertThat(runningTasks(scheduler)).containsExactlyInAnyOrderElementsOf(taskIds);
        TaskStatus running = scheduler.awaitUpdate(taskIds.get(0), TaskState.TASK_RUNNING);
        assertThat(running.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(running.hasUuid()).isTrue();
        assertThat(running.getAgentId()).isEqualTo(offers.get(0).getAgentId());
        assertThat(scheduler.updates(taskIds.get(0))).extracting(TaskStatus::getState)
                .startsWith(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);

        AgentID agent = offers.get(0).getAgentId();
        int killedAt = scheduler.events().size();
        scheduler.kill(taskIds.get(0), agent);
        scheduler.awaitAcknowledging(() -> scheduler.updates(taskIds.get(0)).stream()
                .anyMatch(s -> s.getState() == TaskState.TASK_KILLED));
        assertThat(scheduler.updates(taskIds.get(0))).extracting(TaskStatus::getState)
                .endsWith(TaskState.TASK_KILLING, TaskState.TASK_KILLED);
        scheduler.acknowledgeAll();

        // The agent's unused remainder (0.1 CPU) may come back first, on its own: decline it at
        // once so that the freed task's share is offered with it, as a Mesos scheduler would.
        java.util.Set<String> declined = new java.util.HashSet<>();
        Offer freed = await().atMost(TestScheduler.WAIT).until(() -> {
            List<Offer> fromAgent = scheduler.events().stream()
                    .skip(killedAt)
                    .filter(e -> e.getType() == Event.Type.OFFERS)
                    .flatMap(e -> e.getOffers().getOffersList().stream())
                    .filter(o -> o.getAgentId().equals(agent))
                    .toList();
            for (Offer o : fromAgent) {
                if (scalar(o, "cpus") >= TASK_CPUS - 1e-9) {
                    return o;
                }
                if (declined.add(o.getId().getValue())) {
                    scheduler.decline(o, 0);
                }
            }
            return null;
        }, o -> o != null);
        assertThat(scalar(freed, "cpus")).isGreaterThanOrEqualTo(TASK_CPUS - 1e-9);
        assertThat(scalar(freed, "mem")).isGreaterThanOrEqualTo(TASK_MEM);
        JsonObject slave = state().getJsonArray("slaves").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("id").equals(agent.getValue())).findFirst().orElseThrow();
        assertThat(slave.getJsonObject("used_resources").getDouble("cpus")).isCloseTo(3 * TASK_CPUS, within(1e-9));
    }

    @Test
    void reconciliationAnswersForASimulatedTask() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "web.1", "run", 0.5, 128));
        scheduler.awaitAcknowledging(() -> !runningTasks(scheduler).isEmpty());

        scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
                .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("web.1"))
                        .setAgentId(offer.getAgentId()))));

        TaskStatus reconciled = scheduler.awaitEvent(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getReason() == TaskStatus.Reason.REASON_RECONCILIATION)
                .getUpdate().getStatus();
        assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(reconciled.getAgentId()).isEqualTo(offer.getAgentId());
        assertThat(reconciled.hasUuid()).isFalse();
    }

    @Test
    void anAcceptOfOffersOnTwoAgentsIsRefused() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        List<Offer> offers = scheduler.awaitOffers(2);

        scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
                .addOfferIds(offers.get(0).getId()).addOfferIds(offers.get(1).getId())
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                        .setLaunch(Offer.Operation.Launch.newBuilder()
                                .addTaskInfos(task(offers.get(0), "both", "run", 0.5, 128))))));

        TaskStatus dropped = scheduler.awaitUpdate("both", TaskState.TASK_DROPPED);
        assertThat(dropped.getMessage()).contains("Aggregated offers must belong to one single agent");
    }

    private static Set<String> runningTasks(TestScheduler scheduler) {
        return scheduler.events().stream()
                .filter(e -> e.getType() == Event.Type.UPDATE)
                .map(e -> e.getUpdate().getStatus())
                .filter(s -> s.getState() == TaskState.TASK_RUNNING && s.hasUuid())
                .map(s -> s.getTaskId().getValue())
                .collect(Collectors.toSet());
    }

    private static String text(Offer offer, String attribute) {
        return offer.getAttributesList().stream().filter(a -> a.getName().equals(attribute))
                .map(Attribute::getText).map(t -> t.getValue()).findFirst().orElse(null);
    }

    private JsonObject state() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mesos.masterUri()
                .resolve("/master/state")).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body());
    }
}
