package dev.slipway.framework.schedule;

import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.zk.App;
import dev.slipway.zk.Release;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the scheduler core decides on: Mesos's events, the wanted state changing in ZooKeeper, and
 * the clock's ticks. Each names what it is about (apps, tasks, offers; never config values), for
 * the log line of a failure.
 */
sealed interface Event {
    String describe();

    record Subscribed(String frameworkId) implements Event {
        public String describe() {
            return "subscription as framework " + frameworkId;
        }
    }

    record Offers(List<Offer> offers) implements Event {
        public Offers {
            offers = List.copyOf(offers);
        }

        public String describe() {
            return "offers " + offers.stream().map(Offer::id).toList() + " from "
                    + offers.stream().map(Offer::hostname).distinct().toList();
        }
    }

    record Rescinded(String offerId) implements Event {
        public String describe() {
            return "rescind of offer " + offerId;
        }
    }

    /** Status updates, in the order Mesos sent them: those that queued while the scheduler was busy come together. */
    record Updates(List<TaskUpdate> updates) implements Event {
        public Updates {
            updates = List.copyOf(updates);
        }

        public String describe() {
            if (updates.size() == 1) {
                TaskUpdate update = updates.get(0);
                return "update " + update.state() + " of task " + update.taskId() + " on agent " + update.agentId();
            }
            return updates.size() + " updates, of tasks " + updates.stream().limit(5).map(TaskUpdate::taskId).toList()
                    + (updates.size() > 5 ? "..." : "");
        }
    }

    /** The master removed the framework: its tasks are gone with it. */
    record Removed(String frameworkId, String message) implements Event {
        public String describe() {
            return "removal of framework " + frameworkId;
        }
    }

    /** The subscription ended (a lost connection, or the master's refusal); the driver subscribes again. */
    record Unsubscribed(String why) implements Event {
        public String describe() {
            return "end of the subscription (" + why + ")";
        }
    }

    /**
     * Apps changed in ZooKeeper (formation, release, settings, or deleted), as read after the
     * change: {@code changed} by name, each with its current release (null before the first
     * deploy); {@code deleted} are gone.
     */
    record AppsChanged(List<AppRead> changed, List<String> deleted) implements Event {
        public AppsChanged {
            changed = List.copyOf(changed);
            deleted = List.copyOf(deleted);
        }

        public String describe() {
            return "change of app(s) " + changed.stream().map(a -> a.app().name()).collect(Collectors.joining(", "))
                    + (deleted.isEmpty() ? "" : " and deletion of " + deleted);
        }
    }

    /** An app as read from ZooKeeper with its current release (null before the first deploy). */
    record AppRead(App app, Release release) {
    }

    /**
     * Instances stored as launching whose launch was never sent to Mesos, because carrying out the
     * step failed before its accept: they are given up at once instead of at their launch timeout.
     */
    record LaunchesNotSent(List<String> taskIds) implements Event {
        public LaunchesNotSent {
            taskIds = List.copyOf(taskIds);
        }

        public String describe() {
            return "giving up launches never sent " + taskIds;
        }
    }

    /** Stop the one-off dyno {@code name} ({@code run.4821}) of {@code app}: {@code DELETE /apps/{app}/dynos/{name}}. */
    record StopOneOff(String app, String name) implements Event {
        public String describe() {
            return "stop of one-off dyno " + name + " of " + app;
        }
    }

    /**
     * The routers' acknowledgements changed: the route version each running router serves, by
     * router id, whole (a router gone is left out).
     */
    record RoutersAcked(Map<String, Long> acks) implements Event {
        public RoutersAcked {
            acks = Map.copyOf(acks);
        }

        public String describe() {
            return "acknowledgement of the routes by " + acks.size() + " router(s)";
        }
    }

    /** A planning round: stop what should stop, expire what Mesos lost, publish routes, ask for offers. */
    record Tick(String why) implements Event {
        public String describe() {
            return why;
        }
    }
}
