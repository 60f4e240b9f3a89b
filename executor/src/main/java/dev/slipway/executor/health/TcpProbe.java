package dev.slipway.executor.health;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Heroku's check of {@code web}: 127.0.0.1:PORT accepts a TCP connection. */
final class TcpProbe implements Probe {
    private final int port;

    TcpProbe(int port) {
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("a tcp health check needs a port, not " + port);
        }
        this.port = port;
    }

    @Override
    public ProbeResult check(Duration timeout) {
        String what = "connect to port " + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    (int) Math.max(1, timeout.toMillis()));
            return ProbeResult.passed("listening on port " + port);
        } catch (SocketTimeoutException e) {
            return ProbeResult.notListening(ProbeResult.timedOut(what, timeout).description());
        } catch (ConnectException e) {
            return ProbeResult.notListening(what + ": connection refused");
        } catch (IOException e) {
            return ProbeResult.notListening(what + ": " + e.getMessage());
        }
    }
}
