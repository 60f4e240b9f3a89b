package dev.slipway.executor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on loopback for a test to give an app it starts. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /**
     * A port nothing listened on a moment ago. Only for a port handed to another process to bind;
     * a test's own server binds port 0 and keeps its socket instead.
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
