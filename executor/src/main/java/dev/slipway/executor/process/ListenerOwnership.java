package dev.slipway.executor.process;

import dev.slipway.mesos.procfs.ProcessSockets;
import dev.slipway.mesos.procfs.TcpListeners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whose listener answers on an instance's port: the instance's own processes, or someone else's (an
 * orphan of a dead executor still holding the port, another program). Read from the kernel: the
 * LISTEN entries for the port in the TCP tables of the instance's network namespace
 * ({@code /proc/<pid>/net/tcp}, {@code tcp6}) name a socket inode, which must be an open descriptor
 * of the instance's root process or one of its descendants ({@code /proc/<pid>/fd}). Works for host
 * processes, for host-network containers and for containers on a bridge network alike, given the
 * container's init pid as the root (as root: another user's descriptors cannot be read otherwise).
 */
public final class ListenerOwnership {
    /** What was found. */
    public sealed interface Holder {
        /** A process of the instance holds the listener. */
        record Instance() implements Holder {
        }

        /** Another process holds it: {@code pid} when it could be found, else -1. */
        record Other(long pid) implements Holder {
        }

        /** Nothing listens on the port in the instance's namespace. */
        record Nobody() implements Holder {
        }

        /** It cannot be told here ({@code why}: not Linux, descriptors not readable); the check is skipped. */
        record Unknown(String why) implements Holder {
        }
    }

    private ListenerOwnership() {
    }

    /**
     * Who holds the listener on {@code port} in the network namespace of {@code root}, whose tree is
     * the instance.
     */
    public static Holder of(ProcessHandle root, int port) {
        Path net = Path.of("/proc", Long.toString(root.pid()), "net");
        if (!Files.isReadable(net.resolve("tcp"))) {
            return new Holder.Unknown(TcpListeners.supported() ? "the instance's process is gone"
                    : "no /proc/net/tcp on this system");
        }
        List<TcpListeners.Listener> listeners;
        try {
            listeners = TcpListeners.read(net).stream().filter(l -> l.port() == port).toList();
        } catch (IOException e) {
            return new Holder.Unknown("cannot read " + net + ": " + e.getMessage());
        }
        if (listeners.isEmpty()) {
            return new Holder.Nobody();
        }
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        Set<Long> instanceSockets = new LinkedHashSet<>();
        boolean unreadable = false;
        for (ProcessHandle process : tree) {
            Set<Long> inodes = ProcessSockets.inodes(process.pid());
            if (inodes == null) {
                unreadable = true;
            } else {
                instanceSockets.addAll(inodes);
            }
        }
        for (TcpListeners.Listener listener : listeners) {
            if (instanceSockets.contains(listener.inode())) {
                return new Holder.Instance();
            }
        }
        if (unreadable) {
            return new Holder.Unknown("the descriptors of the instance's processes cannot be read");
        }
        return new Holder.Other(ProcessSockets.holderOf(listeners.get(0).inode()));
    }
}
