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
}
