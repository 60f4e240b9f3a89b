package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosCodec;
import dev.slipway.mesos.MesosHttpClient;
import dev.slipway.mesos.MesosHttpException;
import dev.slipway.mesos.RecordIO;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executor API driven by the test itself: the agent launches a placeholder process
 * ({@code sleep}) and the test speaks for the executor, in JSON.
 */
class ExecutorApiTest extends MesosLocalTestBase {
    private final MesosHttpClient client = new MesosHttpClient(MediaType.JSON, Duration.ofSeconds(5));
    private TestScheduler scheduler;
    private Offer offer;
    private URI endpoint;

    @Override
    MesosLocalFlags flags() {
        return MesosLocalFlags.defaults().withExecutorShutdownGracePeriod(Duration.ofMillis(500));
    }

    @BeforeEach
    void launchAPlaceholderExecutor() throws Exception {
        scheduler = subscribe(TestScheduler.frameworkInfo().build());
        offer = scheduler.awaitOffer();
        endpoint = mesos.agentUri().resolve("/api/v1/executor");
        scheduler.launch(offer, task(offer, "hand.1", "run", 0.1, 32).toBuilder()
                .setExecutor(executor("hand.1", CommandInfo.newBuilder().setValue("exec sleep 30").build())).build());
    }

    @Test
    void updatesFlowToTheSchedulerOneAtATimeAndSurviveAReSubscription() throws Exception {
        assertThatThrownBy(() -> client.call(endpoint, update(status(TaskState.TASK_RUNNING)), null))
                .isInstanceOf(MesosHttpException.class).hasMessageContaining("Executor is not subscribed");

        Session first = subscribe(Call.Subscribe.getDefaultInstance());
        Event.Subscribed subscribed = first.await(e -> e.getType() == Event.Type.SUBSCRIBED).getSubscribed();
        assertThat(subscribed.getFrameworkInfo().getId()).isEqualTo(scheduler.frameworkId());
        assertThat(subscribed.getExecutorInfo().getExecutorId().getValue()).isEqualTo("hand.1");
        assertThat(subscribed.getExecutorInfo().getFrameworkId()).isEqualTo(scheduler.frameworkId());
        assertThat(subscribed.getAgentInfo().getId()).isEqualTo(offer.getAgentId());
        assertThat(subscribed.getContainerId().getValue()).isNotEmpty();
        assertThat(first.await(e -> e.getType() == Event.Type.LAUNCH).getLaunch().getTask().getTaskId().getValue())
                .isEqualTo("hand.1");

        TaskStatus running = status(TaskState.TASK_RUNNING);
        client.call(endpoint, update(running), null);
        first.await(acknowledged(running));
        TaskStatus seen = scheduler.awaitUpdate("hand.1", TaskState.TASK_RUNNING);
        assertThat(seen.getUuid()).isEqualTo(running.getUuid());

        TaskStatus finished = status(TaskState.TASK_FINISHED);
        client.call(endpoint, update(finished), null);
        first.await(acknowledged(finished));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> scheduler.updates("hand.1").stream().noneMatch(s -> s.getState() == TaskState.TASK_FINISHED));

        Session second = subscribe(Call.Subscribe.newBuilder()
                .addUnacknowledgedUpdates(Call.Update.newBuilder().setStatus(finished)).build());
        second.await(e -> e.getType() == Event.Type.SUBSCRIBED);
        second.await(acknowledged(finished));
        await().atMost(TestScheduler.WAIT).until(() -> first.ended);
        assertThat(second.events).noneMatch(e -> e.getType() == Event.Type.LAUNCH);

        scheduler.acknowledge(seen);
        TaskStatus done = scheduler.awaitUpdate("hand.1", TaskState.TASK_FINISHED);
        assertThat(done.getUuid()).isEqualTo(finished.getUuid());
        assertThat(done.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);

        client.call(endpoint, call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
                .setData(ByteString.copyFromUtf8("hello scheduler"))).build(), null);
        assertThat(scheduler.awaitEvent(e -> e.getType() == org.apache.mesos.v1.scheduler.Protos.Event.Type.MESSAGE)
                .getMessage().getData().toStringUtf8()).isEqualTo("hello scheduler");
        second.close();
    }

    @Test
    void invalidUpdatesAreRefusedWithMesosReasons() throws Exception {
        Session session = subscribe(Call.Subscribe.getDefaultInstance());
        session.await(e -> e.getType() == Event.Type.LAUNCH);

        assertRefused(update(status(TaskState.TASK_RUNNING).toBuilder()
                .setSource(TaskStatus.Source.SOURCE_MASTER).build()), 400, "invalid source");
        assertRefused(update(status(TaskState.TASK_STAGING)), 400, "TASK_STAGING");
        assertRefused(update(status(TaskState.TASK_RUNNING).toBuilder().clearUuid().build()), 400,
                "Expecting 'uuid' to be present");
        assertRefused(update(status(TaskState.TASK_RUNNING).toBuilder()
                .setUuid(ByteString.copyFromUtf8("short")).build()), 400, "Not a valid UUID");
        assertRefused(update(status(TaskState.TASK_RUNNING)).toBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue("someone-else")).build(), 400,
                "Executor cannot be found");
        assertRefused(update(status(TaskState.TASK_RUNNING)).toBuilder()
                .setFrameworkId(FrameworkID.newBuilder().setValue("no-such-framework")).build(), 400,
                "Framework cannot be found");
        session.close();
    }

    private void assertRefused(Call call, int status, String reason) {
        assertThatThrownBy(() -> client.call(endpoint, call, null))
                .isInstanceOfSatisfying(MesosHttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.body()).contains(reason);
                });
    }

    private Session subscribe(Call.Subscribe subscribe) throws Exception {
        return new Session(client.subscribe(endpoint, call(Call.Type.SUBSCRIBE).setSubscribe(subscribe).build()));
    }

    private Call.Builder call(Call.Type type) {
        return Call.newBuilder().setType(type).setFrameworkId(scheduler.frameworkId())
                .setExecutorId(ExecutorID.newBuilder().setValue("hand.1"));
    }

    private Call update(TaskStatus status) {
        return call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(status)).build();
    }

    private static TaskStatus status(TaskState state) {
        UUID uuid = UUID.randomUUID();
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("hand.1")).setState(state)
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setUuid(ByteString.copyFrom(java.nio.ByteBuffer.allocate(16)
                        .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array()))
                .build();
    }

    private static Predicate<Event> acknowledged(TaskStatus status) {
        return e -> e.getType() == Event.Type.ACKNOWLEDGED && e.getAcknowledged().getUuid().equals(status.getUuid());
    }

    /** One SUBSCRIBE stream, read on its own thread. */
    private final class Session implements AutoCloseable {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final MesosHttpClient.Stream stream;
        volatile boolean ended;

        Session(MesosHttpClient.Stream stream) {
            this.stream = stream;
            Thread reader = new Thread(() -> {
                RecordIO.Reader records = stream.reader();
                try {
                    for (byte[] record = records.next(); record != null; record = records.next()) {
                        events.add(MesosCodec.decode(record, MediaType.JSON, Event.newBuilder()));
                    }
                } catch (IOException e) {
                    // closed
                } finally {
                    ended = true;
                }
            }, "test-executor-reader");
            reader.setDaemon(true);
            reader.start();
        }

        Event await(Predicate<Event> predicate) {
            return org.awaitility.Awaitility.await().atMost(TestScheduler.WAIT)
                    .until(() -> events.stream().filter(predicate).findFirst().orElse(null), e -> e != null);
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
