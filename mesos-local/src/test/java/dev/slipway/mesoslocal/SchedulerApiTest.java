package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosCodec;
import dev.slipway.mesos.MesosHttpException;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** The scheduler API on its own: subscriptions, offers, filters, and how bad calls are refused. */
class SchedulerApiTest extends MesosLocalTestBase {

    @Test
    void subscribeAnswersSubscribedThenOffersCpusMemDiskAndPorts() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());

        Event subscribed = scheduler.events().get(0);
        assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
        assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15);
        assertThat(subscribed.getSubscribed().getMasterInfo().getPort()).isEqualTo(mesos.masterUri().getPort());
        assertThat(subscribed.getSubscribed().getMasterInfo().getVersion()).isEqualTo("1.11.0");
        assertThat(scheduler.frameworkId().getValue()).endsWith("-0000");
        assertThat(scheduler.streamId()).isNotBlank();

        Offer offer = scheduler.awaitOffer();
        assertThat(offer.getFrameworkId()).isEqualTo(scheduler.frameworkId());
        assertThat(offer.getHostname()).isEqualTo("127.0.0.1");
        assertThat(offer.getUrl().getAddress().getPort()).isEqualTo(mesos.agentUri().getPort());
        assertThat(scalar(offer, "cpus")).isEqualTo(AGENT_CPUS);
        assertThat(scalar(offer, "mem")).isEqualTo(AGENT_MEM);
        assertThat(scalar(offer, "disk")).isEqualTo(4096);
        Resource ports = offer.getResourcesList().stream().filter(r -> r.getName().equals("ports")).findFirst()
                .orElseThrow();
        // The agent's 31000-31099, less any port something on this machine listens on already
        // (another agent's instance, say): PortsInUseTest covers that part.
        assertThat(ports.getRanges().getRangeList()).isNotEmpty().allSatisfy(range -> {
            assertThat(range.getBegin()).isBetween(31000L, 31099L);
            assertThat(range.getEnd()).isBetween(range.getBegin(), 31099L);
        });
        assertThat(offer.getResourcesList()).allMatch(r -> r.getRole().equals("*"));
    }

    @Test
    void jsonWorksForSubscribeAndCalls() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build(), MediaType.JSON);
        Offer offer = scheduler.awaitOffer();

        scheduler.decline(offer, 0.5);
        scheduler.call(Call.newBuilder().setType(Call.Type.REVIVE));

        assertThat(scheduler.awaitOffer().getId()).isNotEqualTo(offer.getId());
    }

    @Test
    void aDeclinedOfferIsNotMadeAgainBeforeRefuseSecondsPass() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        long declinedAt = System.nanoTime();

        scheduler.decline(offer, 3);

        Offer next = scheduler.awaitOffer();
        assertThat(Duration.ofNanos(System.nanoTime() - declinedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(scalar(next, "cpus")).isEqualTo(AGENT_CPUS);
    }

    @Test
    void suppressStopsOffersUntilRevive() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        scheduler.call(Call.newBuilder().setType(Call.Type.SUPPRESS));
        scheduler.decline(scheduler.awaitOffer(), 0);

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> scheduler.offerCount() == 1);

        scheduler.call(Call.newBuilder().setType(Call.Type.REVIVE));
        scheduler.awaitOffer();
    }

    @Test
    void callsWithoutASubscriptionOrStreamIdAreRefused() throws Exception {
        TestScheduler scheduler = subscribe(failoverFramework());
        byte[] revive = Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(scheduler.frameworkId()).build()
                .toByteArray();

        HttpResponse<String> noStreamId = post(schedulerApi(), MediaType.PROTOBUF.value(), revive);
        assertThat(noStreamId.statusCode()).isEqualTo(400);
        assertThat(noStreamId.body()).contains("'Mesos-Stream-Id'");

        HttpResponse<String> wrongStreamId = post(schedulerApi(), MediaType.PROTOBUF.value(), revive,
                "Mesos-Stream-Id", "not-the-stream");
        assertThat(wrongStreamId.statusCode()).isEqualTo(400);
        assertThat(wrongStreamId.body()).contains("didn't match the stream ID");

        byte[] unknown = Call.newBuilder().setType(Call.Type.REVIVE)
                .setFrameworkId(FrameworkID.newBuilder().setValue("nobody")).build().toByteArray();
        HttpResponse<String> unknownFramework = post(schedulerApi(), MediaType.PROTOBUF.value(), unknown,
                "Mesos-Stream-Id", scheduler.streamId());
        assertThat(unknownFramework.statusCode()).isEqualTo(400);
        assertThat(unknownFramework.body()).isEqualTo("Framework cannot be found");

        String streamId = scheduler.streamId();
        scheduler.disconnect();
        await().atMost(TestScheduler.WAIT).until(() ->
                post(schedulerApi(), MediaType.PROTOBUF.value(), revive, "Mesos-Stream-Id", streamId)
                        .statusCode() == 403);
        assertThat(post(schedulerApi(), MediaType.PROTOBUF.value(), revive, "Mesos-Stream-Id", streamId).body())
                .isEqualTo("Framework is not subscribed");
    }

    @Test
    void malformedOrIncompleteCallsAreBadRequests() throws Exception {
        HttpResponse<String> garbage = post(schedulerApi(), MediaType.PROTOBUF.value(),
                new byte[] {(byte) 0xff, 0x01, 0x02});
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).isEqualTo("Failed to parse body into Call protobuf");

        // SUBSCRIBE whose FrameworkInfo lacks the required 'user' and 'name'.
        Call incomplete = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(FrameworkInfo.newBuilder().buildPartial())
                        .buildPartial())
                .buildPartial();
        HttpResponse<String> missing = post(schedulerApi(), MediaType.PROTOBUF.value(), incomplete.toByteArray());
        assertThat(missing.statusCode()).isEqualTo(400);

        HttpResponse<String> missingJson = post(schedulerApi(), MediaType.JSON.value(),
                "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\"}}}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(missingJson.statusCode()).isEqualTo(400);
        assertThat(missingJson.body()).startsWith("Failed to convert JSON into Call protobuf").contains("name");

        HttpResponse<String> notJson = post(schedulerApi(), MediaType.JSON.value(), "{nope".getBytes());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).startsWith("Failed to parse body into JSON");

        HttpResponse<String> noType = post(schedulerApi(), MediaType.JSON.value(), "{}".getBytes());
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(noType.body()).isEqualTo("Failed to validate scheduler::Call: Expecting 'type' to be present");

        HttpResponse<String> noFrameworkId = post(schedulerApi(), MediaType.JSON.value(),
                "{\"type\":\"REVIVE\"}".getBytes());
        assertThat(noFrameworkId.body()).isEqualTo(
                "Failed to validate scheduler::Call: Expecting 'framework_id' to be present");

        assertThat(post(schedulerApi(), "text/plain", "x".getBytes()).statusCode()).isEqualTo(415);
        assertThat(post(schedulerApi(), null, "x".getBytes()).statusCode()).isEqualTo(400);
        HttpResponse<String> notAcceptable = post(schedulerApi(), MediaType.JSON.value(), MesosCodec.encode(
                Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                        .setFrameworkInfo(TestScheduler.frameworkInfo())).build(), MediaType.JSON), "Accept", "text/html");
        assertThat(notAcceptable.statusCode()).isEqualTo(406);

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(schedulerApi()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void aSecondSubscriptionWithTheSameIdReplacesTheFirst() throws Exception {
        TestScheduler first = subscribe(failoverFramework());
        FrameworkInfo again = failoverFramework().toBuilder().setId(first.frameworkId()).build();

        TestScheduler second = subscribe(again);

        assertThat(second.frameworkId()).isEqualTo(first.frameworkId());
        assertThat(second.streamId()).isNotEqualTo(first.streamId());
        first.awaitEvent(e -> e.getType() == Event.Type.ERROR
                && e.getError().getMessage().equals("Framework failed over"));
        await().atMost(TestScheduler.WAIT).until(first::streamEnded);
        second.awaitOffer();
    }

    @Test
    void aTornDownFrameworkCannotComeBack() throws Exception {
        TestScheduler scheduler = subscribe(failoverFramework());
        scheduler.teardown();
        await().atMost(TestScheduler.WAIT).until(scheduler::streamEnded);

        TestScheduler ghost = new TestScheduler(mesos.masterUri(), MediaType.PROTOBUF);
        ghost.open(failoverFramework().toBuilder().setId(scheduler.frameworkId()).build());
        assertThat(ghost.awaitEvent(e -> e.getType() == Event.Type.ERROR).getError().getMessage())
                .isEqualTo("Framework has been removed");
        await().atMost(TestScheduler.WAIT).until(ghost::streamEnded);
        ghost.close();
    }

    @Test
    void launchesOnUnknownOffersAreDroppedAndOversizedTasksAreErrors() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();

        Offer stale = offer.toBuilder().setId(OfferID.newBuilder().setValue("no-such-offer")).build();
        scheduler.launch(stale, task(stale, "dropped", "run", 0.1, 32));
        TaskStatus dropped = scheduler.awaitUpdate("dropped", TaskState.TASK_DROPPED);
        assertThat(dropped.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
        assertThat(dropped.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
        assertThat(dropped.getMessage()).contains("no-such-offer").contains("is no longer valid");
        assertThat(dropped.hasUuid()).isFalse();

        scheduler.launch(offer, task(offer, "too-big", "run", AGENT_CPUS + 1, 32));
        TaskStatus error = scheduler.awaitUpdate("too-big", TaskState.TASK_ERROR);
        assertThat(error.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
        assertThat(error.getMessage()).contains("is more than available");

        Offer back = scheduler.awaitOffer();
        scheduler.launch(back, task(back, "no-resources", "run", 0, 0).toBuilder().clearResources().build());
        assertThat(scheduler.awaitUpdate("no-resources", TaskState.TASK_ERROR).getMessage())
                .isEqualTo("Task uses no resources");
    }

    @Test
    void aFrameworkThatIsNotPartitionAwareLosesTasksInsteadOfDroppingThem() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().clearCapabilities().build());
        Offer offer = scheduler.awaitOffer();
        Offer stale = offer.toBuilder().setId(OfferID.newBuilder().setValue("gone")).build();

        scheduler.launch(stale, task(stale, "lost", "run", 0.1, 32));

        assertThat(scheduler.awaitUpdate("lost", TaskState.TASK_LOST).getReason())
                .isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
    }

    @Test
    void reconcilingUnknownTasksAnswersUnknownOrGone() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        AgentID agentId = scheduler.awaitOffer().getAgentId();

        scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
                .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("nowhere")))
                .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("here"))
                        .setAgentId(agentId))));

        TaskStatus unknown = scheduler.awaitUpdate("nowhere", TaskState.TASK_UNKNOWN);
        assertThat(unknown.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
        assertThat(unknown.hasUuid()).isFalse();
        assertThat(scheduler.awaitUpdate("here", TaskState.TASK_GONE).getMessage())
                .isEqualTo("Reconciliation: Task is unknown to the agent");

        scheduler.kill("vanished", agentId);
        scheduler.awaitUpdate("vanished", TaskState.TASK_GONE);
    }

    @Test
    void invalidFrameworkInfoGetsAnErrorEvent() throws Exception {
        TestScheduler scheduler = new TestScheduler(mesos.masterUri(), MediaType.PROTOBUF);
        FrameworkInfo bad = TestScheduler.frameworkInfo().addRoles("web").build();

        scheduler.open(bad);

        assertThat(scheduler.awaitEvent(e -> e.getType() == Event.Type.ERROR).getError().getMessage())
                .isEqualTo("'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable");
        await().atMost(TestScheduler.WAIT).until(scheduler::streamEnded);
        assertThat(scheduler.events()).hasSize(1);
        scheduler.close();
    }

    @Test
    void healthAndStateAreServed() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().setName("watched").build());
        scheduler.awaitOffer();

        assertThat(http.send(HttpRequest.newBuilder(mesos.masterUri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(mesos.agentUri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> state = http.send(HttpRequest.newBuilder(mesos.masterUri().resolve("/master/state"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonObject json = new JsonObject(state.body());
        assertThat(json.getJsonArray("frameworks").getJsonObject(0).getString("name")).isEqualTo("watched");
        assertThat(json.getJsonArray("slaves").getJsonObject(0).getJsonObject("resources").getDouble("cpus"))
                .isEqualTo(AGENT_CPUS);
        assertThat(json.getJsonArray("slaves").getJsonObject(0).getJsonObject("resources").getString("ports"))
                .isEqualTo("[31000-31099]");
    }

    @Test
    void clientSeesRefusalsAsMesosHttpExceptions() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        assertThatThrownBy(() -> scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT)))
                .isInstanceOf(MesosHttpException.class)
                .hasMessageContaining("Expecting 'accept' to be present");
    }

    @Test
    void aMultiRoleFrameworkGetsOffersAllocatedToItsRoleAndMustKeepThatAllocation() throws Exception {
        FrameworkInfo info = TestScheduler.frameworkInfo().addRoles("slipway").addCapabilities(
                FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build();
        TestScheduler scheduler = subscribe(info);

        Offer offer = scheduler.awaitOffer();

        assertThat(offer.getAllocationInfo().getRole()).isEqualTo("slipway");
        assertThat(offer.getResourcesList()).allMatch(r -> r.getAllocationInfo().getRole().equals("slipway"));
        scheduler.launch(offer, task(offer, "unallocated", "run", 0.1, 32));
        assertThat(scheduler.awaitUpdate("unallocated", TaskState.TASK_ERROR).getMessage())
                .isEqualTo("Invalid task resources: The resources are not allocated to a role");
    }

    @Test
    void updateFrameworkChangesWhatMayChangeAndRefusesTheRest() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        FrameworkInfo renamed = TestScheduler.frameworkInfo().setName("renamed").setId(scheduler.frameworkId()).build();

        scheduler.call(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
                .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(renamed)));

        HttpResponse<String> state = http.send(HttpRequest.newBuilder(mesos.masterUri().resolve("/master/state"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(new JsonObject(state.body()).getJsonArray("frameworks").getJsonObject(0).getString("name"))
                .isEqualTo("renamed");
        assertThatThrownBy(() -> scheduler.call(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
                .setUpdateFramework(Call.UpdateFramework.newBuilder()
                        .setFrameworkInfo(renamed.toBuilder().setUser("root")))))
                .isInstanceOf(MesosHttpException.class)
                .hasMessageContaining("Updating 'FrameworkInfo.user' is unsupported");
    }
}
