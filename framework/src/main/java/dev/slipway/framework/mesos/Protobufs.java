package dev.slipway.framework.mesos;

import com.google.protobuf.ByteString;
import dev.slipway.framework.placement.Attribute;
import dev.slipway.zk.InstanceState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** Translation between Mesos protobufs and the core's records, in one place. */
final class Protobufs {
    private Protobufs() {
    }

    static Offer offer(Protos.Offer offer, String role) {
        double cpus = 0;
        double mem = 0;
        List<Resources.PortRange> ports = new ArrayList<>();
        for (Protos.Resource r : offer.getResourcesList()) {
            if (!usable(r, role)) {
                continue;
            }
            switch (r.getName()) {
                case "cpus" -> cpus += r.getScalar().getValue();
                case "mem" -> mem += r.getScalar().getValue();
                case "ports" -> r.getRanges().getRangeList()
                        .forEach(range -> ports.add(new Resources.PortRange((int) range.getBegin(), (int) range.getEnd())));
                default -> {
                }
            }
        }
        return new Offer(offer.getId().getValue(), offer.getAgentId().getValue(), offer.getHostname(),
                new Resources(cpus, mem, ports), attributes(offer.getAttributesList()));
    }

    /**
     * The agent's TEXT and SCALAR attributes, for placement constraints. RANGES and SET attributes
     * are left out: constraints compare a single value, and Marathon users put text or numbers there.
     */
    static Map<String, Attribute> attributes(List<Protos.Attribute> attributes) {
        Map<String, Attribute> result = new LinkedHashMap<>();
        for (Protos.Attribute a : attributes) {
            switch (a.getType()) {
                case TEXT -> result.put(a.getName(), new Attribute.Text(a.getText().getValue()));
                case SCALAR -> {
                    if (Double.isFinite(a.getScalar().getValue())) {
                        result.put(a.getName(), new Attribute.Scalar(a.getScalar().getValue()));
                    }
                }
                default -> {
                }
            }
        }
        return result;
    }

    private static boolean usable(Protos.Resource r, String role) {
        // Unreserved ("*") resources, or resources reserved for our role; never revocable or disk-sourced ones.
        String resourceRole = r.hasAllocationInfo() ? r.getAllocationInfo().getRole() : r.getRole();
        boolean reservedElsewhere = r.getReservationsCount() > 0
                && !r.getReservations(r.getReservationsCount() - 1).getRole().equals(role);
        return !r.hasRevocable() && !reservedElsewhere
                && (resourceRole.isEmpty() || resourceRole.equals("*") || resourceRole.equals(role));
    }

    static TaskUpdate update(Protos.TaskStatus status) {
        return new TaskUpdate(status.getTaskId().getValue(), status.getAgentId().getValue(),
                state(status.getState()),
                status.hasHealthy() ? status.getHealthy() : null,
                status.getMessage(),
                status.hasReason() ? status.getReason().name() : "",
                status.hasSource() ? status.getSource().name() : "",
                status.hasUuid() ? status.getUuid().toByteArray() : null);
    }

    /** Every Mesos task state by its name; one this build does not know counts as UNKNOWN. */
    static InstanceState state(Protos.TaskState state) {
        try {
            return InstanceState.valueOf(state.name().substring("TASK_".length()));
        } catch (IllegalArgumentException e) {
            return InstanceState.UNKNOWN;
        }
    }

    static Protos.TaskInfo taskInfo(Launch launch, String agentId, String frameworkId) {
        Protos.ExecutorInfo.Builder executor = Protos.ExecutorInfo.newBuilder()
                .setType(Protos.ExecutorInfo.Type.CUSTOM)
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue(launch.taskId()))
                .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(frameworkId))
                .setName(launch.executorName())
                .setSource("slipway")
                .addResources(scalar("cpus", launch.executorCpus()))
                .addResources(scalar("mem", launch.executorMemMb()))
                .setCommand(command(launch));
        Protos.TaskInfo.Builder task = Protos.TaskInfo.newBuilder()
                .setName(launch.name())
                .setTaskId(Protos.TaskID.newBuilder().setValue(launch.taskId()))
                .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
                .addResources(scalar("cpus", launch.cpus()))
                .addResources(scalar("mem", launch.memMb()))
                .setExecutor(executor)
                .setLabels(labels(launch.labels()))
                .setData(ByteString.copyFrom(launch.data()))
                .setKillPolicy(killPolicy(launch.killGrace()));
        if (launch.port() > 0) {
            task.addResources(Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES)
                    .setRanges(Protos.Value.Ranges.newBuilder().addRange(
                            Protos.Value.Range.newBuilder().setBegin(launch.port()).setEnd(launch.port()))));
            task.setDiscovery(Protos.DiscoveryInfo.newBuilder()
                    .setVisibility(Protos.DiscoveryInfo.Visibility.FRAMEWORK)
                    .setName(launch.name())
                    .setPorts(Protos.Ports.newBuilder().addPorts(Protos.Port.newBuilder()
                            .setNumber(launch.port()).setName("http").setProtocol("tcp"))));
        }
        return task.build();
    }

    /**
     * A KILL call. {@code grace}, when given, becomes its kill policy, which overrides the one the
     * task was launched with (scheduler.proto, {@code Call.Kill.kill_policy}); null leaves that one.
     */
    static Call.Kill kill(String taskId, String agentId, Duration grace) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(taskId(taskId));
        if (!agentId.isEmpty()) {
            kill.setAgentId(agentId(agentId));
        }
        if (grace != null) {
            kill.setKillPolicy(killPolicy(grace));
        }
        return kill.build();
    }

    private static Protos.KillPolicy killPolicy(Duration grace) {
        return Protos.KillPolicy.newBuilder()
                .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(grace.toNanos()))
                .build();
    }

    private static Protos.CommandInfo command(Launch launch) {
        Protos.CommandInfo.Builder command = Protos.CommandInfo.newBuilder()
                .setShell(true)
                .setValue(launch.executorCommand());
        for (Launch.Fetch fetch : launch.uris()) {
            // The file is named for the URL's path, never its query (the download's signature).
            String path = java.net.URI.create(fetch.uri()).getPath();
            command.addUris(Protos.CommandInfo.URI.newBuilder()
                    .setValue(fetch.uri()).setExtract(fetch.extract()).setExecutable(fetch.executable())
                    .setCache(fetch.cache()).setOutputFile(path.substring(path.lastIndexOf('/') + 1)));
        }
        return command.build();
    }

    private static Protos.Labels labels(Map<String, String> labels) {
        Protos.Labels.Builder builder = Protos.Labels.newBuilder();
        labels.forEach((k, v) -> builder.addLabels(Protos.Label.newBuilder().setKey(k).setValue(v)));
        return builder.build();
    }

    private static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
    }

    static Protos.FrameworkID frameworkId(String id) {
        return Protos.FrameworkID.newBuilder().setValue(id).build();
    }

    static Protos.TaskID taskId(String id) {
        return Protos.TaskID.newBuilder().setValue(id).build();
    }

    static Protos.AgentID agentId(String id) {
        return Protos.AgentID.newBuilder().setValue(id).build();
    }

    static Protos.OfferID offerId(String id) {
        return Protos.OfferID.newBuilder().setValue(id).build();
    }

    static ByteString bytes(byte[] value) {
        return ByteString.copyFrom(value);
    }
}
