package dev.slipway.executor.health;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marathon's HTTP check: {@code GET http://127.0.0.1:PORT<path>} with {@code Host: localhost};
 * a status of 200-399 passes, any other status, a connection error or no status line within the
 * timeout fails. Spoken over a plain socket, because java.net.http will not send a Host header of
 * its own choosing; redirects are not followed (a 3xx passes as it is).
 */
final class HttpProbe implements Probe {
    /** How much of an answer is read past its status line, so that the app can finish writing it. */
    static final int MAX_DRAINED_BYTES = 64 * 1024;
    private static final int MAX_STATUS_LINE = 8 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})(?: .*)?");
    private static final Logger LOG = LoggerFactory.getLogger(HttpProbe.class);

    private final int port;
    private final String path;
    private final byte[] request;

    HttpProbe(int port, String path) {
        if (port <= 0 || port > 65_535) {
            throw new IllegalArgumentException("an http health check needs a port, not " + port);
        }
        this.port = port;
        this.path = path;
        // The path is visible ASCII without spaces (HealthSpec checks it), so it cannot break the request.
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slipway-health-check\r\n"
                + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public ProbeResult check(Duration timeout) {
        String what = "GET " + path;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    (int) Math.max(1, timeout.toMillis()));
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = readStatusLine(socket, in, deadline);
            if (statusLine == null) {
                return ProbeResult.failed(what + ": the connection was closed without an answer");
            }
            Matcher status = STATUS_LINE.matcher(statusLine);
            if (!status.matches()) {
                return ProbeResult.failed(what + ": not an HTTP answer");
            }
            int code = Integer.parseInt(status.group(1));
            drain(socket, in, deadline);
            String described = what + " answered " + code;
            return code >= 200 && code <= 399 ? ProbeResult.passed(described) : ProbeResult.failed(described);
        } catch (SocketTimeoutException e) {
            return ProbeResult.timedOut(what, timeout);
        } catch (ConnectException e) {
            return ProbeResult.notListening(what + ": connection refused");
        } catch (IOException e) {
            return ProbeResult.failed(what + ": " + e.getMessage());
        }
    }

    /** The first line of the answer without its CRLF; null when the stream ends first. */
    private static String readStatusLine(Socket socket, InputStream in, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_STATUS_LINE) {
            int c = read(socket, in, deadline);
            if (c == -1) {
                return line.length() == 0 ? null : line.toString();
            }
            if (c == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                return line.substring(0, end);
            }
            line.append((char) c);
        }
        return line.toString();
    }

    /**
     * Reads what is left of a short answer, so that closing does not reset the connection under an
     * app still writing it. The status decided already: a failure here changes nothing.
     */
    private static void drain(Socket socket, InputStream in, long deadline) {
        try {
            for (int n = 0; n < MAX_DRAINED_BYTES && read(socket, in, deadline) != -1; n++) {
                // Nothing to keep.
            }
        } catch (IOException e) {
            LOG.debug("reading the rest of a health check's answer: {}", e.getMessage());
        }
    }

    /** One byte, waiting at most until {@code deadline} (System.nanoTime). */
    private static int read(Socket socket, InputStream in, long deadline) throws IOException {
        if (in.available() == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no answer within the timeout");
            }
            // Rounded up: rounded down, the read gave up just before the deadline it was given.
            socket.setSoTimeout((int) Math.max(1, (left + 999_999) / 1_000_000));
        }
        return in.read();
    }
}
