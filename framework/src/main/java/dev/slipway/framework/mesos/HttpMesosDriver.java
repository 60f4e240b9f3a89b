package dev.slipway.framework.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosCodec;
import dev.slipway.mesos.MesosHttpClient;
import dev.slipway.mesos.MesosHttpException;
import dev.slipway.mesos.RecordIO;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MesosDriver} over the Mesos v1 scheduler HTTP API (apache/mesos
 * docs/scheduler-http-api.md): one SUBSCRIBE stream read on its own thread, calls as separate
 * POSTs carrying the stream id. The stream is dropped and re-subscribed, with backoff capped at
 * 15 s, when it fails or when no event arrives for five heartbeat intervals.
 *
 * <p>With a credential, every request carries HTTP basic authentication and FrameworkInfo names the
 * principal; a 401 stops the driver. When the master has removed the framework (a TEARDOWN, or a
 * failover timeout: "Framework has been removed" on re-subscription), the driver tells its listener
 * ({@link Listener#removed}) and registers as a new framework; any other refusal stops it.
 */
public final class HttpMesosDriver implements MesosDriver {
    private static final Logger LOG = LoggerFactory.getLogger(HttpMesosDriver.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    private static final int ACKNOWLEDGING_THREADS = 4;

    private final MesosSettings settings;
    private final MasterLocator masters;
    private final Supplier<Optional<String>> storedFrameworkId;
    private final MesosHttpClient client;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "mesos-heartbeat-watchdog"));
    /**
     * Calls go out from a thread of their own, in the order they were made, so the scheduler
     * never waits on the master's answer: ten thousand acknowledgements sent one by one from the
     * scheduler thread kept it waiting seconds (bench/scheduler-scale).
     */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> daemon(r, "mesos-calls"));
    /**
     * Acknowledgements commute (each names its own task and update, and an agent sends a task's
     * next update only once the last is acknowledged), so they go out several at a time, beside
     * the ordered calls: one at a time, ten thousand tasks starting at once waited seconds on them,
     * each task's RUNNING held back until its STARTING was acknowledged.
     */
    private final ExecutorService acknowledger = Executors.newFixedThreadPool(ACKNOWLEDGING_THREADS,
            r -> daemon(r, "mesos-acknowledgements"));
    private volatile boolean closed;
    private volatile Thread reader;
    private volatile MesosHttpClient.Stream stream;
    private volatile URI endpoint;
    private volatile String streamId;
    private volatile String frameworkId;
    /** The master removed the framework: subscribe without the stored id until SUBSCRIBED. */
    private volatile boolean registerAnew;
    private volatile ScheduledFuture<?> heartbeatTimeout;
    /** Five heartbeat intervals: silence longer than this means the connection is dead. */
    private volatile Duration heartbeatGrace = Duration.ofSeconds(75);

    public HttpMesosDriver(MesosSettings settings, MasterLocator masters, Supplier<Optional<String>> storedFrameworkId) {
        this.settings = settings;
        this.masters = masters;
        this.storedFrameworkId = storedFrameworkId;
        this.client = new MesosHttpClient(MediaType.PROTOBUF, Duration.ofSeconds(5),
                settings.credential() == null ? null : settings.credential().basicAuthorization());
    }

    @Override
    public void start(Listener listener) {
        reader = daemon(() -> subscribeLoop(listener), "mesos-subscriber");
        reader.start();
    }

    private void subscribeLoop(Listener listener) {
        Duration backoff = Duration.ofMillis(500);
        while (!closed) {
            try {
                subscribeOnce(listener);
                backoff = Duration.ofMillis(500);
            } catch (MesosHttpException e) {
                if (e.status() == 401) {
                    String why = settings.credential() == null
                            ? "Mesos asks the framework to authenticate (401 Unauthorized) and no credential is set:"
                                    + " give --mesos-principal and --mesos-secret-file"
                            : "Mesos refused the credential of principal '" + settings.principal()
                                    + "' (401 Unauthorized): check the principal and the secret file against the"
                                    + " master's --credentials";
                    LOG.error("{}; the framework stops", why);
                    listener.error(why);
                    return;
                }
                if (removed(e.body())) {
                    forgetRemovedFramework(listener, e.body());
                    backoff = Duration.ofMillis(500);
                } else if (e.status() == 403 || (e.status() == 400 && e.body().contains("principal"))) {
                    // Not a removal: registering a new framework would not help, and would hide the cause.
                    LOG.error("Mesos refused the subscription of framework {} (principal '{}'): {}", frameworkId,
                            settings.principal(), e.getMessage());
                    listener.error(e.getMessage());
                    return;
                } else {
                    listener.disconnected(e.getMessage());
                }
            } catch (IOException e) {
                if (!closed) {
                    listener.disconnected(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ErrorEvent e) {
                if (!removed(e.getMessage())) {
                    // "Framework failed over" (another instance took over), an invalid FrameworkInfo...
                    LOG.error("Mesos ended the subscription of framework {}: {}", frameworkId, e.getMessage());
                    listener.error(e.getMessage());
                    return;
                }
                forgetRemovedFramework(listener, e.getMessage());
                backoff = Duration.ofMillis(500);
            }
            if (closed) {
                return;
            }
            client.reset();
            LOG.info("re-subscribing to Mesos at {} in {} ms", MasterLocator.shown(settings.master()), backoff.toMillis());
            if (!pause(backoff)) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Mesos's answer to a framework it removed (master.cpp: "Framework has been removed"). */
    static boolean removed(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains("has been removed");
    }

    /**
     * The master tore the framework down or removed it: its tasks are gone, and it will never take
     * that id back. Tell the listener (which marks the instances lost and forgets the stored id),
     * then register as a new framework.
     */
    private void forgetRemovedFramework(Listener listener, String message) {
        String removedId = frameworkId;
        LOG.warn("Mesos removed framework {} ({}): its tasks are gone. Registering as a new framework; every"
                + " app's instances are being launched again", removedId, message.strip());
        frameworkId = null;
        registerAnew = true;
        listener.removed(removedId, message.strip());
    }

    private void subscribeOnce(Listener listener) throws IOException, InterruptedException {
        if (!registerAnew) {
            storedFrameworkId.get().ifPresent(id -> frameworkId = id);
        }
        Call call = subscribeCall();
        try (MesosHttpClient.Stream opened = client.subscribe(MesosSettings.schedulerEndpoint(masters.leader()), call)) {
            stream = opened;
            endpoint = opened.uri();
            streamId = opened.streamId();
            RecordIO.Reader records = opened.reader();
            armWatchdog(Duration.ofSeconds(15 * 5));
            byte[] record;
            while (!closed && (record = records.next()) != null) {
                guarded(decode(record), listener);
            }
            if (!closed) {
                throw new IOException("the master closed the subscription stream");
            }
        } finally {
            streamId = null;
            cancelWatchdog();
        }
    }

    private Call subscribeCall() {
        Protos.FrameworkInfo.Builder info = Protos.FrameworkInfo.newBuilder()
                .setUser(settings.user())
                .setName(settings.name())
                .setRole(settings.role())
                .setFailoverTimeout(settings.failoverTimeout().toSeconds())
                .setCheckpoint(true)
                .addCapabilities(capability(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE))
                .addCapabilities(capability(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        if (!settings.webUiUrl().isEmpty()) {
            info.setWebuiUrl(settings.webUiUrl());
        }
        if (!settings.hostname().isEmpty()) {
            info.setHostname(settings.hostname());
        }
        if (settings.credential() != null) {
            info.setPrincipal(settings.credential().principal());
        }
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
        if (frameworkId != null) {
            info.setId(Protobufs.frameworkId(frameworkId));
            call.setFrameworkId(Protobufs.frameworkId(frameworkId));
        }
        return call.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
    }

    private static Protos.FrameworkInfo.Capability capability(Protos.FrameworkInfo.Capability.Type type) {
        return Protos.FrameworkInfo.Capability.newBuilder().setType(type).build();
    }

    private Event decode(byte[] record) throws IOException {
        try {
            return MesosCodec.decode(record, client.mediaType(), Event.newBuilder());
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("undecodable event from the master: " + e.getMessage(), e);
        }
    }

    /**
     * Hands {@code event} to the listener; an event the driver cannot turn into the listener's
     * terms (an offer or a status it fails to read) is logged with its ids and answered as the
     * scheduler answers a failed handler: its offers are declined for a second, an update stays
     * unacknowledged (Mesos resends it). The stream goes on with the next event.
     */
    private void guarded(Event event, Listener listener) {
        try {
            dispatch(event, listener);
        } catch (ErrorEvent e) {
            throw e;
        } catch (RuntimeException e) {
            switch (event.getType()) {
                case OFFERS -> {
                    List<String> ids = event.getOffers().getOffersList().stream().map(o -> o.getId().getValue())
                            .toList();
                    LOG.error("could not read offers {}: declining them", ids, e);
                    decline(ids, 1);
                }
                case UPDATE -> LOG.error("could not read the update {} of task {}: left unacknowledged",
                        event.getUpdate().getStatus().getState(), event.getUpdate().getStatus().getTaskId().getValue(),
                        e);
                default -> LOG.error("could not handle the {} event from Mesos", event.getType(), e);
            }
        }
    }

    private void dispatch(Event event, Listener listener) {
        switch (event.getType()) {
            case SUBSCRIBED -> {
                Event.Subscribed subscribed = event.getSubscribed();
                frameworkId = subscribed.getFrameworkId().getValue();
                registerAnew = false;
                double interval = subscribed.hasHeartbeatIntervalSeconds() ? subscribed.getHeartbeatIntervalSeconds() : 15;
                heartbeatGrace = Duration.ofMillis((long) (interval * 5 * 1000));
                armWatchdog(heartbeatGrace);
                LOG.info("subscribed to Mesos at {} as framework {}", endpoint, frameworkId);
                listener.subscribed(frameworkId);
            }
            case OFFERS -> {
                armWatchdog(heartbeatGrace);
                listener.offers(event.getOffers().getOffersList().stream()
                        .map(o -> Protobufs.offer(o, settings.role())).toList());
            }
            case RESCIND -> {
                armWatchdog(heartbeatGrace);
                listener.rescinded(event.getRescind().getOfferId().getValue());
            }
            case UPDATE -> {
                armWatchdog(heartbeatGrace);
                listener.update(Protobufs.update(event.getUpdate().getStatus()));
            }
            case HEARTBEAT -> armWatchdog(heartbeatGrace);
            case ERROR -> throw new ErrorEvent(event.getError().getMessage());
            case FAILURE -> {
                armWatchdog(heartbeatGrace);
                Event.Failure failure = event.getFailure();
                LOG.warn("Mesos reports a failure: agent {} executor {} status {}",
                        failure.getAgentId().getValue(), failure.getExecutorId().getValue(), failure.getStatus());
            }
            default -> {
                armWatchdog(heartbeatGrace);
                LOG.debug("ignoring Mesos event {}", event.getType());
            }
        }
    }

    private void armWatchdog(Duration grace) {
        cancelWatchdog();
        heartbeatTimeout = watchdog.schedule(() -> {
            LOG.warn("no event from Mesos for {} s: dropping the connection", grace.toSeconds());
            closeStream();
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelWatchdog() {
        ScheduledFuture<?> pending = heartbeatTimeout;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void closeStream() {
        MesosHttpClient.Stream current = stream;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.debug("closing the subscription stream: {}", e.getMessage());
            }
        }
    }

    @Override
    public void accept(String offerId, String agentId, List<Launch> launches) {
        Call.Accept.Builder accept = Call.Accept.newBuilder().addOfferIds(Protobufs.offerId(offerId))
                .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(1));
        Protos.Offer.Operation.Launch.Builder launch = Protos.Offer.Operation.Launch.newBuilder();
        launches.forEach(l -> launch.addTaskInfos(Protobufs.taskInfo(l, agentId, frameworkId)));
        accept.addOperations(Protos.Offer.Operation.newBuilder()
                .setType(Protos.Offer.Operation.Type.LAUNCH).setLaunch(launch));
        send(call(Call.Type.ACCEPT).setAccept(accept));
    }

    @Override
    public void decline(List<String> offerIds, double refuseSeconds) {
        Call.Decline.Builder decline = Call.Decline.newBuilder()
                .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(refuseSeconds));
        offerIds.forEach(id -> decline.addOfferIds(Protobufs.offerId(id)));
        send(call(Call.Type.DECLINE).setDecline(decline));
    }

    @Override
    public void kill(String taskId, String agentId, Duration grace) {
        send(call(Call.Type.KILL).setKill(Protobufs.kill(taskId, agentId, grace)));
    }

    @Override
    public void acknowledge(String agentId, String taskId, byte[] uuid) {
        send(call(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(Protobufs.agentId(agentId))
                .setTaskId(Protobufs.taskId(taskId))
                .setUuid(Protobufs.bytes(uuid))), acknowledger);
    }

    @Override
    public void reconcile(List<TaskRef> tasks) {
        Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
        for (TaskRef task : tasks) {
            Call.Reconcile.Task.Builder t = Call.Reconcile.Task.newBuilder().setTaskId(Protobufs.taskId(task.taskId()));
            if (!task.agentId().isEmpty()) {
                t.setAgentId(Protobufs.agentId(task.agentId()));
            }
            reconcile.addTasks(t);
        }
        send(call(Call.Type.RECONCILE).setReconcile(reconcile));
    }

    @Override
    public void message(String agentId, String executorId, byte[] data) {
        send(call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
                .setAgentId(Protobufs.agentId(agentId))
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executorId))
                .setData(Protobufs.bytes(data))));
    }

    @Override
    public void revive() {
        send(call(Call.Type.REVIVE));
    }

    @Override
    public void suppress() {
        send(call(Call.Type.SUPPRESS));
    }

    private Call.Builder call(Call.Type type) {
        Call.Builder call = Call.newBuilder().setType(type);
        if (frameworkId != null) {
            call.setFrameworkId(Protobufs.frameworkId(frameworkId));
        }
        return call;
    }

    /**
     * Sends a call on the current subscription, in order after the calls made before it, without
     * waiting for it. A call that cannot be sent is logged and dropped: what it meant is recovered
     * by the next offer cycle, retried kill, or Mesos resending an unacknowledged update.
     */
    private void send(Call.Builder call) {
        send(call, sender);
    }

    private void send(Call.Builder call, ExecutorService lane) {
        String id = streamId;
        URI target = endpoint;
        if (id == null || target == null) {
            LOG.warn("not subscribed to Mesos: {} call dropped", call.getType());
            return;
        }
        Call built = call.build();
        try {
            lane.execute(() -> {
                try {
                    client.call(target, built, id);
                } catch (IOException e) {
                    LOG.warn("Mesos {} call failed: {}", built.getType(), e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("driver closed: {} call dropped", built.getType());
        }
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        closed = true;
        // Calls not sent yet are dropped: a closed driver (a framework that lost its leadership,
        // say) must not act on Mesos any more.
        sender.shutdownNow();
        acknowledger.shutdownNow();
        closeStream();
        watchdog.shutdownNow();
        masters.close();
        Thread current = reader;
        if (current != null) {
            current.interrupt();
        }
    }

    /** The master sent ERROR: the framework is no longer registered. */
    private static final class ErrorEvent extends RuntimeException {
        ErrorEvent(String message) {
            super(message);
        }
    }
}
