package dev.slipway.framework.schedule;

import dev.slipway.zk.Conflict;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one event's handler on the scheduler thread so that its failure ends that event only: the
 * failure is logged with the event, the event's {@link Recovery} runs (offers not accepted are
 * declined, an update stays unacknowledged so Mesos resends it), and the loop goes on with the
 * next event. A ZooKeeper that does not answer is expected and logged as a warning; any other
 * exception is a bug and logged as an error with its stack trace. Errors are not caught.
 */
final class Guard {
    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

    private Guard() {
    }

    /** What the loop does after a handler failed; returns what it did, for the log. */
    @FunctionalInterface
    interface Recovery {
        Recovery NONE = () -> "nothing to undo";

        String recover();
    }

    /**
     * Handles {@code event} (a description naming apps, task and offer ids, never config values or
     * secrets) with {@code handler}, recovering with {@code recovery} when the handler throws.
     */
    static void handle(String event, Runnable handler, Recovery recovery) {
        try {
            handler.run();
        } catch (Conflict | NotFound e) {
            LOG.warn("{}: the state in ZooKeeper changed under the scheduler ({}): it is read anew; {}", event,
                    e.getMessage(), recovered(event, recovery));
        } catch (StoreException e) {
            LOG.warn("{}: ZooKeeper did not answer ({}); {}", event, e.getMessage(), recovered(event, recovery));
        } catch (RuntimeException e) {
            LOG.error("{} failed; {}", event, recovered(event, recovery), e);
        }
    }

    private static String recovered(String event, Recovery recovery) {
        try {
            return recovery.recover();
        } catch (RuntimeException e) {
            LOG.error("{}: recovering from its failure failed too", event, e);
            return "recovery failed";
        }
    }
}
