package dev.slipway.framework.schedule;

import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.MesosDriver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The scheduler's one Mesos interface, recording the calls made on it: the scheduler core is
 * tested in isolation (as aurora and Singularity test theirs); the HTTP side is tested against
 * mesos-local in the cli module's end-to-end tests.
 */
final class RecordingDriver implements MesosDriver {
    record Accepted(String offerId, List<Launch> launches) {
    }

    /** A KILL call; {@code grace} null when it left the task's own kill policy. */
    record Killed(String taskId, Duration grace) {
    }

    record Message(String agentId, String executorId, byte[] data) {
    }

    final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    final List<String> declined = new CopyOnWriteArrayList<>();
    final List<String> killed = new CopyOnWriteArrayList<>();
    final List<Killed> kills = new CopyOnWriteArrayList<>();
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    final List<List<TaskRef>> reconciled = new CopyOnWriteArrayList<>();
    final List<String> offerCalls = new CopyOnWriteArrayList<>();
    final List<Message> messages = new CopyOnWriteArrayList<>();

    @Override
    public void start(Listener listener) {
    }

    @Override
    public void accept(String offerId, String agentId, List<Launch> launches) {
        accepted.add(new Accepted(offerId, List.copyOf(launches)));
    }

    @Override
    public void decline(List<String> offerIds, double refuseSeconds) {
        declined.addAll(offerIds);
    }

    @Override
    public void kill(String taskId, String agentId, Duration grace) {
        killed.add(taskId);
        kills.add(new Killed(taskId, grace));
    }

    @Override
    public void acknowledge(String agentId, String taskId, byte[] uuid) {
        acknowledged.add(taskId);
    }

    @Override
    public void reconcile(List<TaskRef> tasks) {
        reconciled.add(List.copyOf(tasks));
    }

    @Override
    public void message(String agentId, String executorId, byte[] data) {
        messages.add(new Message(agentId, executorId, data));
    }

    @Override
    public void revive() {
        offerCalls.add("REVIVE");
    }

    @Override
    public void suppress() {
        offerCalls.add("SUPPRESS");
    }

    @Override
    public void close() {
    }
}
