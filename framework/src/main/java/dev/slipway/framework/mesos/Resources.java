package dev.slipway.framework.mesos;

import java.util.List;

/**
 * Scalar and range resources as the scheduler core sees them, without protobufs.
 *
 * @param ports free port ranges, inclusive
 */
public record Resources(double cpus, double memMb, List<PortRange> ports) {
    public Resources {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** An inclusive range of ports. */
    public record PortRange(int begin, int end) {
        public PortRange {
            if (begin > end) {
                throw new IllegalArgumentException("empty port range " + begin + "-" + end);
            }
        }

        public int size() {
            return end - begin + 1;
        }
    }
}
