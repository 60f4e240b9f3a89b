package dev.slipway.executor.testing;

import static org.awaitility.Awaitility.await;

import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosCodec;
import dev.slipway.mesos.MesosHttpClient;
import dev.slipway.mesos.RecordIO;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A v1 scheduler for tests on {@link MesosHttpClient} (after mesos-local's own TestScheduler):
 * subscribes, records every event, sends calls, and acknowledges every status update while it waits.
 */
public final class TestScheduler implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final MesosHttpClient client;
    private final URI endpoint;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Set<String> usedOffers = ConcurrentHashMap.newKeySet();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private MesosHttpClient.Stream stream;
    private FrameworkID frameworkId;

    public TestScheduler(URI master) {
        this(master, null);
    }

    /** A scheduler sending {@code authorization} (an HTTP basic credential) on every request. */
    public TestScheduler(URI master, String authorization) {
        this.client = new MesosHttpClient(MediaType.PROTOBUF, Duration.ofSeconds(5), authorization);
        this.endpoint = master.resolve("/api/v1/scheduler");
    }

    /** Slipway's framework: partition aware, and with TASK_KILLING_STATE unless {@code killingState} is false. */
    public static FrameworkInfo frameworkInfo(boolean killingState) {
        FrameworkInfo.Builder info = FrameworkInfo.newBuilder().setUser("slipway").setName("slipway")
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
        if (killingState) {
            info.addCapabilities(FrameworkInfo.Capability.newBuilder()
                    .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        }
        return info.build();
    }

    /** Subscribes and waits for SUBSCRIBED. */
    public TestScheduler subscribe(FrameworkInfo info) throws IOException, InterruptedException {
        stream = client.subscribe(endpoint, Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build());
        MesosHttpClient.Stream current = stream;
        Thread reader = new Thread(() -> read(current), "test-scheduler-reader");
        reader.setDaemon(true);
        reader.start();
        frameworkId = awaitEvent(e -> e.getType() == Event.Type.SUBSCRIBED).getSubscribed().getFrameworkId();
        return this;
    }

    private void read(MesosHttpClient.Stream current) {
        RecordIO.Reader reader = current.reader();
        try {
            for (byte[] record = reader.next(); record != null; record = reader.next()) {
                events.add(MesosCodec.decode(record, client.mediaType(), Event.newBuilder()));
            }
        } catch (IOException e) {
            // The stream was closed under us.
        }
    }

    public FrameworkID frameworkId() {
        return frameworkId;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Waits for an event, acknowledging updates meanwhile. */
    public Event awaitEvent(Predicate<Event> predicate) {
        return await().atMost(WAIT).until(() -> {
            acknowledgeAll();
            return events.stream().filter(predicate).findFirst().orElse(null);
        }, e -> e != null);
    }

    /** The next offer this test has not used yet. */
    public Offer awaitOffer() {
        Offer offer = awaitEvent(e -> e.getType() == Event.Type.OFFERS && e.getOffers().getOffersList().stream()
                .anyMatch(o -> !usedOffers.contains(o.getId().getValue())))
                .getOffers().getOffersList().stream()
                .filter(o -> !usedOffers.contains(o.getId().getValue())).findFirst().orElseThrow();
        usedOffers.add(offer.getId().getValue());
        return offer;
    }

    /** The task's updates in the order received (resent ones more than once). */
    public List<TaskStatus> updates(String taskId) {
        return events.stream().filter(e -> e.getType() == Event.Type.UPDATE)
                .map(e -> e.getUpdate().getStatus())
                .filter(s -> s.getTaskId().getValue().equals(taskId)).toList();
    }

    /** Waits for the task's update in {@code state}, acknowledging every update meanwhile. */
    public TaskStatus awaitUpdate(String taskId, TaskState state) {
        return awaitEvent(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
                && e.getUpdate().getStatus().getState() == state).getUpdate().getStatus();
    }

    /** The FAILURE event of the executor's exit. */
    public Event.Failure awaitExecutorExit(String executorId) {
        return awaitEvent(e -> e.getType() == Event.Type.FAILURE && e.getFailure().hasExecutorId()
                && e.getFailure().getExecutorId().getValue().equals(executorId)).getFailure();
    }

    /** Waits for the condition, acknowledging updates as they come. */
    public void awaitAcknowledging(Callable<Boolean> condition) {
        await().atMost(WAIT).until(() -> {
            acknowledgeAll();
            return condition.call();
        });
    }

    /** Whether every update with a uuid received so far has been acknowledged. */
    public boolean allAcknowledged() {
        return events.stream().filter(e -> e.getType() == Event.Type.UPDATE)
                .map(e -> e.getUpdate().getStatus()).filter(TaskStatus::hasUuid)
                .allMatch(s -> acknowledged.contains(s.getUuid().toStringUtf8() + s.getTaskId().getValue()));
    }

    /** Acknowledges each update with a uuid not acknowledged yet, as schedulers do. */
    public synchronized void acknowledgeAll() throws IOException, InterruptedException {
        for (Event event : events()) {
            if (event.getType() == Event.Type.UPDATE && event.getUpdate().getStatus().hasUuid()) {
                TaskStatus status = event.getUpdate().getStatus();
                if (acknowledged.add(status.getUuid().toStringUtf8() + status.getTaskId().getValue())) {
                    call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                            .setAgentId(status.getAgentId()).setTaskId(status.getTaskId())
                            .setUuid(status.getUuid())));
                }
            }
        }
    }

    public void call(Call.Builder call) throws IOException, InterruptedException {
        client.call(endpoint, call.setFrameworkId(frameworkId).build(), stream.streamId());
    }

    public void launch(Offer offer, TaskInfo task) throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
                .addOfferIds(offer.getId())
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                        .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)))
                .setFilters(Filters.newBuilder().setRefuseSeconds(0))));
    }

    public void kill(String taskId, AgentID agentId) throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(taskId)).setAgentId(agentId)));
    }

    public void kill(String taskId, AgentID agentId, Duration grace) throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(taskId)).setAgentId(agentId)
                .setKillPolicy(KillPolicy.newBuilder()
                        .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(grace.toNanos())))));
    }

    /** SHUTDOWN of one executor. */
    public void shutdown(String executorId, AgentID agentId) throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId)).setAgentId(agentId)));
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }
}
