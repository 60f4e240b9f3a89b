package dev.slipway.mesoslocal.agent;

import dev.slipway.mesos.procfs.TcpListeners;
import dev.slipway.mesoslocal.resources.Ranges;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ports of the agent's range that something on this host listens on, from the kernel's TCP
 * tables ({@code /proc/net/tcp}, {@code /proc/net/tcp6}), so that offers leave them out: a port an
 * orphan of a dead executor (or any other program) still holds would make the next instance on it
 * fail with "Address already in use". Read on a worker by {@link #refresh()}, answered at once by
 * {@link #current()}. On a system without those tables (not Linux) nothing is ever in use.
 */
final class ListeningPorts {
    private static final Logger LOG = LoggerFactory.getLogger(ListeningPorts.class);

    private final Ranges watched;
    private final Supplier<List<TcpListeners.Listener>> table;
    private volatile Ranges inUse = Ranges.EMPTY;

    /** @param watched the agent's port range: listeners elsewhere do not matter */
    ListeningPorts(Ranges watched) {
        this(watched, ListeningPorts::readTables);
    }

    ListeningPorts(Ranges watched, Supplier<List<TcpListeners.Listener>> table) {
        this.watched = watched;
        this.table = table;
    }

    /** Reads the tables again; blocking (a worker's job). */
    void refresh() {
        if (watched.isEmpty()) {
            return;
        }
        Ranges listening = Ranges.EMPTY;
        for (TcpListeners.Listener listener : table.get()) {
            Ranges port = Ranges.of(listener.port(), listener.port());
            if (watched.contains(port)) {
                listening = listening.plus(port);
            }
        }
        if (!listening.equals(inUse)) {
            LOG.debug("Ports of the agent's range with a listener (those no task holds stay out of offers): {}",
                    listening.isEmpty() ? "none" : listening);
        }
        inUse = listening;
    }

    /** What the last {@link #refresh()} found. */
    Ranges current() {
        return inUse;
    }

    private static List<TcpListeners.Listener> readTables() {
        if (!TcpListeners.supported()) {
            return List.of();
        }
        try {
            return TcpListeners.read();
        } catch (IOException e) {
            LOG.warn("Cannot read the kernel's TCP tables, offering every free port: {}", e.getMessage());
            return List.of();
        }
    }
}
