package dev.slipway.executor.process;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A stand-in app for tests: listens on loopback port {@code args[0]} (or $PORT) until killed. */
public final class PortListener {
    private PortListener() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv("PORT"));
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            System.out.println("listening on " + port);
            while (true) {
                server.accept().close();
            }
        }
    }
}
