package dev.slipway.executor.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heroku's boot check for web processes: connect to 127.0.0.1:PORT every {@code interval} until a
 * connection succeeds (the instance is healthy) or the boot timeout passes (Heroku's R10).
 */
public final class HealthProbe {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);

    /** What a watch reports: exactly one of the two, once, from the probe's thread. */
    public interface Listener {
        void healthy();

        void bootTimedOut();
    }

    /** A running watch; cancelling it means neither callback will be made any more. */
    public interface Watch {
        void cancel();
    }

    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration interval;

    public HealthProbe(ScheduledExecutorService scheduler, Clock clock, Duration interval) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.interval = interval;
    }

    /** Probes 127.0.0.1:{@code port} until it accepts a connection or {@code bootTimeout} passes. */
    public Watch watchTcp(int port, Duration bootTimeout, Listener listener) {
        TcpWatch watch = new TcpWatch(port, clock.instant().plus(bootTimeout), listener);
        watch.future = scheduler.scheduleWithFixedDelay(watch::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    /** Whether 127.0.0.1:{@code port} accepts a TCP connection within {@code timeout}. */
    public static boolean accepts(int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    (int) Math.max(1, timeout.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private final class TcpWatch implements Watch {
        private final int port;
        private final Instant deadline;
        private final Listener listener;
        private volatile ScheduledFuture<?> future;
        private boolean done;

        TcpWatch(int port, Instant deadline, Listener listener) {
            this.port = port;
            this.deadline = deadline;
            this.listener = listener;
        }

        synchronized void runOnce() {
            if (done) {
                // Finished before its future was known: stop being rescheduled.
                finish();
                return;
            }
            if (accepts(port, interval)) {
                finish();
                LOG.info("port {} accepts connections", port);
                listener.healthy();
            } else if (!clock.instant().isBefore(deadline)) {
                finish();
                LOG.info("port {} still refuses connections at the boot deadline", port);
                listener.bootTimedOut();
            }
        }

        @Override
        public synchronized void cancel() {
            finish();
        }

        private void finish() {
            done = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
