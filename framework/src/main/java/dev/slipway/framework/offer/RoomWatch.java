package dev.slipway.framework.offer;

import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.MesosDriver;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.TaskUpdate;
import java.time.Duration;
import java.util.List;

/**
 * A driver that shows every round of offers to an {@link AgentRoom} before the scheduler gets it,
 * so that the API can refuse a size no agent could hold. Meant to go once the scheduler core
 * feeds the room itself ({@link AgentRoom#saw(List, List)}, with its live instances).
 */
public final class RoomWatch implements MesosDriver {
    private final MesosDriver driver;
    private final AgentRoom room;

    public RoomWatch(MesosDriver driver, AgentRoom room) {
        this.driver = driver;
        this.room = room;
    }

    @Override
    public void start(Listener listener) {
        driver.start(new Listener() {
            @Override
            public void subscribed(String frameworkId) {
                listener.subscribed(frameworkId);
            }

            @Override
            public void offers(List<Offer> offers) {
                room.saw(offers);
                listener.offers(offers);
            }

            @Override
            public void rescinded(String offerId) {
                listener.rescinded(offerId);
            }

            @Override
            public void update(TaskUpdate update) {
                listener.update(update);
            }

            @Override
            public void error(String message) {
                listener.error(message);
            }

            @Override
            public void removed(String frameworkId, String message) {
                listener.removed(frameworkId, message);
            }

            @Override
            public void disconnected(String why) {
                listener.disconnected(why);
            }
        });
    }

    @Override
    public void accept(String offerId, String agentId, List<Launch> launches) {
        driver.accept(offerId, agentId, launches);
    }

    @Override
    public void decline(List<String> offerIds, double refuseSeconds) {
        driver.decline(offerIds, refuseSeconds);
    }

    @Override
    public void kill(String taskId, String agentId, Duration grace) {
        driver.kill(taskId, agentId, grace);
    }

    @Override
    public void acknowledge(String agentId, String taskId, byte[] uuid) {
        driver.acknowledge(agentId, taskId, uuid);
    }

    @Override
    public void reconcile(List<TaskRef> tasks) {
        driver.reconcile(tasks);
    }

    @Override
    public void message(String agentId, String executorId, byte[] data) {
        driver.message(agentId, executorId, data);
    }

    @Override
    public void revive() {
        driver.revive();
    }

    @Override
    public void suppress() {
        driver.suppress();
    }

    @Override
    public void close() {
        driver.close();
    }
}
