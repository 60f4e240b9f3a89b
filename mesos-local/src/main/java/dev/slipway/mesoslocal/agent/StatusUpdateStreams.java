package dev.slipway.mesoslocal.agent;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.task.StatusUpdate;
import dev.slipway.mesoslocal.task.TaskStates;
import dev.slipway.mesoslocal.task.Uuids;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's task status update manager: one stream per task, delivering updates to the master
 * in order, one at a time, resending the oldest unacknowledged one with exponential backoff
 * (Mesos: 10 s doubling to 10 min) and immediately when the framework re-subscribes. A stream
 * ends once its terminal update is acknowledged.
 */
final class StatusUpdateStreams {
    private static final Logger LOG = LoggerFactory.getLogger(StatusUpdateStreams.class);

    private record Key(String frameworkId, String taskId) {
    }

    private static final class Stream {
        final Key key;
        final Deque<TaskStatus> pending = new ArrayDeque<>();
        final Set<ByteString> received = new HashSet<>();
        TaskState latestState;
        long timer = -1;
        Duration interval;

        Stream(Key key) {
            this.key = key;
        }

        boolean terminalReceived() {
            return latestState != null && TaskStates.isTerminal(latestState);
        }
    }

    private final Vertx vertx;
    private final MasterLink master;
    private final Duration retryMin;
    private final Duration retryMax;
    private final Map<Key, Stream> streams = new LinkedHashMap<>();

    StatusUpdateStreams(Vertx vertx, MasterLink master, Duration retryMin, Duration retryMax) {
        this.vertx = vertx;
        this.master = master;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
    }

    /**
     * Accepts a status (with uuid) for delivery. Duplicates and anything after a terminal update
     * are ignored; returns whether the status was taken.
     */
    boolean update(String frameworkId, TaskStatus status) {
        Key key = new Key(frameworkId, status.getTaskId().getValue());
        Stream stream = streams.computeIfAbsent(key, Stream::new);
        if (stream.received.contains(status.getUuid())) {
            LOG.warn("Ignoring duplicate status update {} for task {} of framework {}",
                    Uuids.toString(status.getUuid()), key.taskId(), frameworkId);
            return false;
        }
        if (stream.terminalReceived()) {
            LOG.warn("Ignoring status update {} for task {} of framework {}: the task is already {}",
                    status.getState(), key.taskId(), frameworkId, stream.latestState);
            return false;
        }
        stream.received.add(status.getUuid());
        stream.latestState = status.getState();
        stream.pending.addLast(status);
        if (stream.pending.size() == 1) {
            stream.interval = retryMin;
            forward(stream);
        }
        return true;
    }

    /**
     * The scheduler acknowledged {@code uuid}; returns null when it was the update in flight, else
     * why the acknowledgement was ignored.
     */
    String acknowledge(String frameworkId, String taskId, ByteString uuid) {
        Stream stream = streams.get(new Key(frameworkId, taskId));
        if (stream == null) {
            return "no status update stream for task " + taskId + " of framework " + frameworkId;
        }
        TaskStatus head = stream.pending.peekFirst();
        if (head == null || !head.getUuid().equals(uuid)) {
            return "Unexpected status update acknowledgement (received " + Uuids.toString(uuid) + ", expecting "
                    + (head == null ? "none" : Uuids.toString(head.getUuid())) + ") for task " + taskId
                    + " of framework " + frameworkId;
        }
        stream.pending.removeFirst();
        cancelTimer(stream);
        if (!stream.pending.isEmpty()) {
            stream.interval = retryMin;
            forward(stream);
        } else if (TaskStates.isTerminal(head.getState())) {
            streams.remove(stream.key);
        }
        return null;
    }

    /** Resends the update in flight of each of the framework's streams now (it re-subscribed). */
    void resume(String frameworkId) {
        for (Stream stream : List.copyOf(streams.values())) {
            if (stream.key.frameworkId().equals(frameworkId) && !stream.pending.isEmpty()) {
                cancelTimer(stream);
                stream.interval = retryMin;
                forward(stream);
            }
        }
    }

    /** Drops every stream of a removed framework. */
    void cleanup(String frameworkId) {
        for (Stream stream : new ArrayList<>(streams.values())) {
            if (stream.key.frameworkId().equals(frameworkId)) {
                cancelTimer(stream);
                streams.remove(stream.key);
            }
        }
    }

    /** The task's updates not acknowledged by the scheduler yet, oldest first. */
    List<TaskStatus> pending(String frameworkId, String taskId) {
        Stream stream = streams.get(new Key(frameworkId, taskId));
        return stream == null ? List.of() : List.copyOf(stream.pending);
    }

    /**
     * Takes back a checkpointed stream after a restart: its unacknowledged updates go out again,
     * oldest first; {@code latest} is the latest state the agent had taken for the task.
     */
    void recover(String frameworkId, String taskId, List<TaskStatus> pending, TaskState latest) {
        if (pending.isEmpty()) {
            return;
        }
        Stream stream = streams.computeIfAbsent(new Key(frameworkId, taskId), Stream::new);
        pending.forEach(status -> stream.received.add(status.getUuid()));
        stream.pending.addAll(pending);
        stream.latestState = latest;
        stream.interval = retryMin;
        forward(stream);
    }

    /** Whether the task's stream has already taken a terminal update. */
    boolean terminalReceived(String frameworkId, String taskId) {
        Stream stream = streams.get(new Key(frameworkId, taskId));
        return stream != null && stream.terminalReceived();
    }

    void stop() {
        streams.values().forEach(this::cancelTimer);
    }

    private void forward(Stream stream) {
        TaskStatus head = stream.pending.peekFirst();
        master.statusUpdate(new StatusUpdate(stream.key.frameworkId(), head, stream.latestState));
        Duration wait = stream.interval;
        stream.timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> retry(stream, head));
    }

    private void retry(Stream stream, TaskStatus sent) {
        stream.timer = -1;
        if (streams.get(stream.key) != stream || stream.pending.peekFirst() != sent) {
            return;
        }
        LOG.info("Resending status update {} ({}) for task {} of framework {}", sent.getState(),
                Uuids.toString(sent.getUuid()), stream.key.taskId(), stream.key.frameworkId());
        Duration doubled = stream.interval.multipliedBy(2);
        stream.interval = doubled.compareTo(retryMax) > 0 ? retryMax : doubled;
        forward(stream);
    }

    private void cancelTimer(Stream stream) {
        if (stream.timer != -1) {
            vertx.cancelTimer(stream.timer);
            stream.timer = -1;
        }
    }
}
