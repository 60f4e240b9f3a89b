package dev.slipway.mesoslocal;

import static org.awaitility.Awaitility.await;

import dev.slipway.mesos.MediaType;
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
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** A scheduler for tests, on {@link MesosHttpClient}: subscribes, records every event, sends calls. */
final class TestScheduler implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final MesosHttpClient client;
    private final URI endpoint;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Set<String> usedOffers = ConcurrentHashMap.newKeySet();
    private int acknowledgedUpTo;
    private MesosHttpClient.Stream stream;
    private volatile boolean ended;
    private FrameworkID frameworkId;

    TestScheduler(URI master, MediaType type) {
        this(master, type, null);
    }

    /** A scheduler sending {@code authorization} on every request (null: none). */
    TestScheduler(URI master, MediaType type, String authorization) {
        this.client = new MesosHttpClient(type, Duration.ofSeconds(5), authorization);
        this.endpoint = master.resolve("/api/v1/scheduler");
    }

    static FrameworkInfo.Builder frameworkInfo() {
        return FrameworkInfo.newBuilder().setUser("slipway").setName("test scheduler")
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
    }

    /** Subscribes and waits for SUBSCRIBED. */
    TestScheduler subscribe(FrameworkInfo info) throws IOException, InterruptedException {
        open(info);
        Event subscribed = awaitEvent(e -> e.getType() == Event.Type.SUBSCRIBED);
        frameworkId = subscribed.getSubscribed().getFrameworkId();
        return this;
    }

    /** Sends SUBSCRIBE and starts reading events, without waiting for any. */
    TestScheduler open(FrameworkInfo info) throws IOException, InterruptedException {
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
        if (info.hasId()) {
            call.setFrameworkId(info.getId());
        }
        stream = client.subscribe(endpoint, call.build());
        ended = false;
        MesosHttpClient.Stream current = stream;
        Thread reader = new Thread(() -> read(current), "test-scheduler-reader");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    private void read(MesosHttpClient.Stream current) {
        RecordIO.Reader reader = current.reader();
        try {
            for (byte[] record = reader.next(); record != null; record = reader.next()) {
                events.add(dev.slipway.mesos.MesosCodec.decode(record, client.mediaType(), Event.newBuilder()));
            }
        } catch (IOException e) {
            // The stream was closed under us.
        } finally {
            if (current == stream) {
                ended = true;
            }
        }
    }

    FrameworkID frameworkId() {
        return frameworkId;
    }

    String streamId() {
        return stream.streamId();
    }

    boolean streamEnded() {
        return ended;
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    Event awaitEvent(Predicate<Event> predicate) {
        return await().atMost(WAIT).until(() -> events.stream().filter(predicate).findFirst().orElse(null),
                e -> e != null);
    }

    /** The next offer this test has not used yet. */
    Offer awaitOffer() {
        Offer offer = await().atMost(WAIT).until(() -> events.stream()
                .filter(e -> e.getType() == Event.Type.OFFERS)
                .flatMap(e -> e.getOffers().getOffersList().stream())
                .filter(o -> !usedOffers.contains(o.getId().getValue()))
                .findFirst().orElse(null), o -> o != null);
        usedOffers.add(offer.getId().getValue());
        return offer;
    }

    /** The next {@code count} offers this test has not used yet. */
    List<Offer> awaitOffers(int count) {
        List<Offer> offers = await().atMost(WAIT).until(() -> events.stream()
                .filter(e -> e.getType() == Event.Type.OFFERS)
                .flatMap(e -> e.getOffers().getOffersList().stream())
                .filter(o -> !usedOffers.contains(o.getId().getValue()))
                .limit(count).toList(), list -> list.size() == count);
        offers.forEach(o -> usedOffers.add(o.getId().getValue()));
        return offers;
    }

    /** Acknowledges each update with a uuid received since the last call (resent ones too), as schedulers do. */
    synchronized void acknowledgeAll() throws IOException, InterruptedException {
        List<Event> received = events();
        for (; acknowledgedUpTo < received.size(); acknowledgedUpTo++) {
            Event event = received.get(acknowledgedUpTo);
            if (event.getType() == Event.Type.UPDATE && event.getUpdate().getStatus().hasUuid()) {
                acknowledge(event.getUpdate().getStatus());
            }
        }
    }

    /** Waits for the condition, acknowledging updates as they come. */
    void awaitAcknowledging(Callable<Boolean> condition) {
        await().atMost(WAIT).until(() -> {
            acknowledgeAll();
            return condition.call();
        });
    }

    long offerCount() {
        return events.stream().filter(e -> e.getType() == Event.Type.OFFERS).count();
    }

    TaskStatus awaitUpdate(String taskId, TaskState state) {
        return awaitEvent(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
                && e.getUpdate().getStatus().getState() == state).getUpdate().getStatus();
    }

    List<TaskStatus> updates(String taskId) {
        return events.stream().filter(e -> e.getType() == Event.Type.UPDATE)
                .map(e -> e.getUpdate().getStatus())
                .filter(s -> s.getTaskId().getValue().equals(taskId)).toList();
    }

    void call(Call.Builder call) throws IOException, InterruptedException {
        client.call(endpoint, call.setFrameworkId(frameworkId).build(), stream.streamId());
    }

    void launch(Offer offer, TaskInfo... tasks) throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
                .addOfferIds(offer.getId())
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(List.of(tasks))))
                .setFilters(Filters.newBuilder().setRefuseSeconds(0))));
    }

    void decline(Offer offer, double refuseSeconds) throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
                .addOfferIds(offer.getId()).setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds))));
    }

    void acknowledge(TaskStatus status) throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
    }

    void kill(String taskId, AgentID agentId) throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(taskId)).setAgentId(agentId)));
    }

    void teardown() throws IOException, InterruptedException {
        call(Call.newBuilder().setType(Call.Type.TEARDOWN));
    }

    /** Drops the subscription connection, as a crashed scheduler would. */
    void disconnect() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public void close() throws IOException {
        disconnect();
    }
}
