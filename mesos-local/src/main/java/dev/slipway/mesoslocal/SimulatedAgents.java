package dev.slipway.mesoslocal;

import dev.slipway.mesoslocal.resources.Ranges;
import dev.slipway.mesoslocal.resources.Resources;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Value;

/**
 * Simulated agents, for tests and benchmarks that drive a scheduler at datacenter scale on one
 * machine: {@code count} agents named {@code sim-agent-0001} onwards, each offering the same
 * resources, with no process behind them (their tasks go straight to TASK_RUNNING).
 *
 * <p>Agent {@code i} (from 0) is in rack {@code racks[i % racks.size()]}, and rack {@code r} is in
 * zone {@code zones[r % zones.size()]}, so a rack lies in one zone. Both are TEXT attributes
 * named {@code rack} and {@code zone}, in the agent's info and in its offers; an empty list
 * leaves that attribute out.
 *
 * @param count how many agents (1-9999)
 * @param cpus cpus each agent offers
 * @param memMb memory each agent offers, in MB
 * @param diskMb disk each agent offers, in MB
 * @param portsBegin first port of each agent's offered range
 * @param portsEnd last port of each agent's offered range
 * @param racks rack names, assigned round-robin
 * @param zones zone names, assigned round-robin to racks
 */
public record SimulatedAgents(int count, double cpus, long memMb, long diskMb, int portsBegin, int portsEnd,
        List<String> racks, List<String> zones) {
    private static final int MAX_COUNT = 9999;

    public SimulatedAgents {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("mesos-local: simulated agents count must be 1-" + MAX_COUNT + ", was "
                    + count);
        }
        if (!(cpus > 0) || Double.isInfinite(cpus)) {
            throw new IllegalArgumentException("mesos-local: simulated agents cpus must be above 0, was " + cpus);
        }
        if (memMb <= 0) {
            throw new IllegalArgumentException("mesos-local: simulated agents memMb must be above 0, was " + memMb);
        }
        if (diskMb < 0) {
            throw new IllegalArgumentException("mesos-local: simulated agents diskMb must not be negative, was "
                    + diskMb);
        }
        if (portsBegin < 1 || portsEnd > 65535 || portsBegin > portsEnd) {
            throw new IllegalArgumentException("mesos-local: simulated agents port range " + portsBegin + "-"
                    + portsEnd + " must lie within 1-65535 and not be inverted");
        }
        racks = names("racks", racks);
        zones = names("zones", zones);
    }

    /** {@code count} agents of 8 cpus, 32 GB memory, 100 GB disk and ports 31000-32000. */
    public static SimulatedAgents of(int count, List<String> racks, List<String> zones) {
        return new SimulatedAgents(count, 8, 32 * 1024, 100 * 1024, 31000, 32000, racks, zones);
    }

    /** The hostname of agent {@code index} (from 0): {@code sim-agent-0001} for 0. */
    public String hostname(int index) {
        return String.format("sim-agent-%04d", index + 1);
    }

    /** The rack of agent {@code index}, or null when there are no racks. */
    public String rack(int index) {
        return racks.isEmpty() ? null : racks.get(index % racks.size());
    }

    /** The zone of agent {@code index}: that of its rack, or null when there are no zones. */
    public String zone(int index) {
        if (zones.isEmpty()) {
            return null;
        }
        int rack = racks.isEmpty() ? index : index % racks.size();
        return zones.get(rack % zones.size());
    }

    /** Agent {@code index}'s info: id {@code <masterId>-S<index>}, its resources and attributes. */
    AgentInfo agentInfo(int index, String masterId, int port) {
        Resources resources = Resources.scalar("cpus", cpus)
                .plus(Resources.scalar("mem", memMb))
                .plus(Resources.scalar("disk", diskMb))
                .plus(Resources.ranges("ports", Ranges.of(portsBegin, portsEnd)));
        AgentInfo.Builder info = AgentInfo.newBuilder()
                .setHostname(hostname(index))
                .setPort(port)
                .setId(AgentID.newBuilder().setValue(masterId + "-S" + index))
                .addAllResources(resources.toProtos(null));
        addText(info, "rack", rack(index));
        addText(info, "zone", zone(index));
        return info.build();
    }

    private static void addText(AgentInfo.Builder info, String name, String value) {
        if (value != null) {
            info.addAttributes(Attribute.newBuilder().setName(name).setType(Value.Type.TEXT)
                    .setText(Value.Text.newBuilder().setValue(value)));
        }
    }

    private static List<String> names(String setting, List<String> names) {
        if (names == null) {
            return List.of();
        }
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("mesos-local: simulated agents " + setting
                        + " must not hold blank names, was " + names);
            }
        }
        return List.copyOf(names);
    }
}
