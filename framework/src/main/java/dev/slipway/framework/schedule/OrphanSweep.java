package dev.slipway.framework.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Containers outlive an executor that dies (killed, out of memory, its agent restarted without
 * recovery): Docker, not the executor, is their parent. Mesos then reports the task lost and a
 * replacement starts, while the old container still runs, holding memory and a port. Only the
 * framework knows which of its tasks are live, so every {@link #INTERVAL} it tells one running
 * executor on each agent which ones are; that executor removes the framework's other containers
 * launched before the list was made (docs/containers.md). A list made from ZooKeeper before an
 * answer from Mesos errs on the side of keeping: every task not known to have ended counts as live.
 */
final class OrphanSweep {
    static final Duration INTERVAL = Duration.ofSeconds(15);

    private OrphanSweep() {
    }

    /** One message per agent with a running instance, to that instance's executor. */
    record Message(String agentId, String executorId, byte[] data) {
    }

    /**
     * The messages for a sweep as of {@code asOf}: {@code instances} must hold every instance
     * launched before then.
     */
    static List<Message> messages(List<Instance> instances, Instant asOf) {
        Map<String, Instance> messengerByAgent = new TreeMap<>();
        instances.stream()
                .filter(i -> i.state() == InstanceState.RUNNING && !i.agentId().isEmpty())
                .sorted(Comparator.comparing(Instance::taskId))
                .forEach(i -> messengerByAgent.putIfAbsent(i.agentId(), i));
        // Each executor hears of the tasks on its host (a container runs on the Docker engine of
        // the host its task was launched on; agents sharing a host may share an engine), and of
        // any task whose host is not known, to err on the side of keeping: at a thousand agents,
        // the whole list to each would be hundreds of megabytes per sweep.
        Map<String, List<String>> liveByHost = new TreeMap<>();
        List<String> hostUnknown = new ArrayList<>();
        instances.stream().filter(i -> !i.state().terminal()).forEach(i -> {
            if (i.host().isEmpty()) {
                hostUnknown.add(i.taskId());
            } else {
                liveByHost.computeIfAbsent(i.host(), h -> new ArrayList<>()).add(i.taskId());
            }
        });
        // Slipway's executor ids are its task ids (one executor per task).
        return messengerByAgent.values().stream().map(i -> {
            List<String> live = new ArrayList<>(liveByHost.getOrDefault(i.host(), List.of()));
            live.addAll(hostUnknown);
            live.sort(null);
            return new Message(i.agentId(), i.taskId(), encode(new Request("remove-orphans", live,
                    asOf.toEpochMilli())));
        }).toList();
    }

    private static byte[] encode(Request request) {
        try {
            return Json.mapper().writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a remove-orphans message", e);
        }
    }

    /** The executor's SweepRequest, as JSON (docs/internals.md). */
    private record Request(String type, List<String> liveTaskIds, long asOfMs) {
    }
}
