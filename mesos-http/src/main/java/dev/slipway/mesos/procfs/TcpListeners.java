package dev.slipway.mesos.procfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP sockets in the LISTEN state of one network namespace, read from Linux's
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (or {@code /proc/<pid>/net/...} for another
 * process's namespace). Used by mesos-local's agent to keep ports something listens on out of its
 * offers, and by the executor to tell whose listener answers on an instance's port. On a system
 * without these files (not Linux) the table is {@link #supported() unsupported} and reads empty.
 */
public final class TcpListeners {
    /** {@code st} of a listening socket in the kernel's table (TCP_LISTEN). */
    private static final String LISTEN = "0A";

    /** One listening socket: its local port and the inode that names it in {@code /proc/<pid>/fd}. */
    public record Listener(int port, long inode) {
    }

    private TcpListeners() {
    }

    /** Whether this system has the kernel's TCP tables ({@code /proc/net/tcp}): Linux does. */
    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** The listeners of this process's network namespace. */
    public static List<Listener> read() throws IOException {
        return read(Path.of("/proc/net"));
    }

    /**
     * The listeners in {@code netDir}'s {@code tcp} and {@code tcp6} tables; a missing table (no IPv6,
     * not Linux) reads as empty.
     *
     * @throws IOException when a table exists but cannot be read
     */
    public static List<Listener> read(Path netDir) throws IOException {
        List<Listener> listeners = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            String text;
            try {
                text = Files.readString(netDir.resolve(table), StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                continue;
            }
            listeners.addAll(parse(text));
        }
        return List.copyOf(listeners);
    }

    /**
     * The LISTEN entries of one table in the kernel's format: a header line, then
     * {@code sl local_address rem_address st ... uid timeout inode ...}, addresses as
     * {@code HEXADDR:HEXPORT}. Lines that do not fit are skipped.
     */
    public static List<Listener> parse(String table) {
        List<Listener> listeners = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10 || !fields[0].endsWith(":") || !LISTEN.equals(fields[3])) {
                continue;
            }
            int colon = fields[1].lastIndexOf(':');
            try {
                int port = Integer.parseInt(fields[1].substring(colon + 1), 16);
                long inode = Long.parseLong(fields[9]);
                listeners.add(new Listener(port, inode));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // Not an entry of the kernel's format: skipped.
            }
        }
        return listeners;
    }
}
