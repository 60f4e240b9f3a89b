package dev.slipway.framework.mesos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One instance to start on an offer: everything the Mesos adapter needs to build the TaskInfo and
 * its ExecutorInfo (see docs/internals.md).
 *
 * @param port the port taken from the offer for a web instance, 0 for none
 * @param data the TaskSpec JSON the executor runs
 * @param killGrace the task's kill policy: how long it gets between SIGTERM and SIGKILL
 * @param uris what the agent fetches into the sandbox before starting the executor
 */
public record Launch(String taskId, String name, String executorName, Map<String, String> labels,
                     double cpus, double memMb, int port, double executorCpus, double executorMemMb,
                     String executorCommand, List<Fetch> uris, byte[] data, Duration killGrace) {
    public Launch {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(killGrace, "killGrace");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        uris = uris == null ? List.of() : List.copyOf(uris);
    }

    /**
     * A URI for the agent's fetcher.
     *
     * @param cache through the agent's fetcher cache: downloaded once per agent, then copied (or
     *     extracted) into each sandbox; only for a URI whose content never changes
     */
    public record Fetch(String uri, boolean extract, boolean executable, boolean cache) {
        public Fetch {
            Objects.requireNonNull(uri, "uri");
        }

        /** A URI fetched anew for every sandbox. */
        public Fetch(String uri, boolean extract, boolean executable) {
            this(uri, extract, executable, false);
        }
    }
}
