package dev.slipway.executor.health;

import dev.slipway.executor.process.ListenerOwnership;
import dev.slipway.executor.process.RunningProcess;
import java.time.Duration;

/**
 * A port probe (TCP, HTTP) that passes only once the listener on the port is known to be the
 * instance's own: until then, a pass is confirmed against the kernel's tables
 * ({@link RunningProcess#listenerOn}), and a listener held by another process (an orphan of a dead
 * executor still on the port) fails the probe with who holds it. Once confirmed, the probe is left
 * alone: the instance holds the port and nobody else can bind it while it does.
 */
final class OwnedPortProbe implements Probe {
    private final Probe probe;
    private final RunningProcess process;
    private final int port;
    /** Only the watch's thread touches it. */
    private boolean confirmed;

    OwnedPortProbe(Probe probe, RunningProcess process, int port) {
        this.probe = probe;
        this.process = process;
        this.port = port;
    }

    @Override
    public ProbeResult check(Duration timeout) {
        ProbeResult result = probe.check(timeout);
        if (confirmed || !result.passed()) {
            return result;
        }
        ListenerOwnership.Holder holder = process.listenerOn(port);
        if (holder instanceof ListenerOwnership.Holder.Other other) {
            return ProbeResult.failed("port " + port + " is held by another process"
                    + (other.pid() > 0 ? " (pid " + other.pid() + ")" : "") + ", not by this instance");
        }
        if (holder instanceof ListenerOwnership.Holder.Nobody) {
            // It answered, then its listener went: whoever it was, it is not this instance's yet.
            return ProbeResult.notListening("port " + port + " answered but nothing listens on it any more");
        }
        confirmed = true;
        return result;
    }
}
