package dev.slipway.zk;

/** Where an instance is in its life: the Mesos task states, plus LAUNCHING before Mesos has it. */
public enum InstanceState {
    LAUNCHING, STAGING, STARTING, RUNNING, KILLING,
    FINISHED, FAILED, KILLED, ERROR, LOST, DROPPED, UNREACHABLE, GONE, GONE_BY_OPERATOR, UNKNOWN;

    /** True when the instance will not run again (Mesos terminal states). */
    public boolean terminal() {
        return switch (this) {
            case FINISHED, FAILED, KILLED, ERROR, LOST, DROPPED, GONE, GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }

    /**
     * True when the instance no longer holds its slot: it ended, or Mesos does not know it
     * (UNKNOWN: its agent is gone from the master, e.g. after the master lost its state), so a
     * replacement is due. A task that reappears later is a duplicate the planner stops.
     */
    public boolean gone() {
        return terminal() || this == UNKNOWN;
    }
}
