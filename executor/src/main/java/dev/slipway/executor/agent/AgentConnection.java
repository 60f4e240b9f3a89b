package dev.slipway.executor.agent;

import dev.slipway.mesos.MesosCodec;
import dev.slipway.mesos.MesosHttpClient;
import dev.slipway.mesos.RecordIO;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's link to its agent over the v1 executor HTTP API (apache/mesos
 * docs/executor-http-api.md): one thread holds the SUBSCRIBE stream and reads its RecordIO events,
 * another sends the other calls on their own connections.
 *
 * <p>When the stream breaks: with checkpointing, it subscribes again with exponential backoff
 * (each wait at most {@code MESOS_SUBSCRIPTION_BACKOFF_MAX}) for up to {@code MESOS_RECOVERY_TIMEOUT};
 * without, it gives up at once. An ERROR event counts as a break, as the API docs recommend.
 * Before the first subscription it keeps trying likewise (for {@link #FIRST_SUBSCRIPTION_WINDOW}
 * without checkpointing), as the agent may not be listening yet.
 */
public final class AgentConnection implements AutoCloseable {
    /** Mesos' default {@code --executor_registration_timeout}: the agent gives up on us after it anyway. */
    static final Duration FIRST_SUBSCRIPTION_WINDOW = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(AgentConnection.class);

    /** What the connection reports; every callback comes from the connection's own threads. */
    public interface Listener {
        /**
         * The SUBSCRIBE call to send now, with what is still unacknowledged.
         *
         * @throws IOException when there is nothing to subscribe for any more (the executor is stopping)
         */
        Call subscribeCall() throws IOException, InterruptedException;

        /** An event from the stream, SUBSCRIBED first. */
        void onEvent(Event event);

        /** The stream broke; the connection is trying to subscribe again. */
        void onDisconnected(String why);

        /** The connection gave up: the agent is gone. Nothing more will be reported. */
        void onLost(String why);
    }

    private final URI endpoint;
    private final MesosHttpClient http;
    private final Listener listener;
    private final boolean checkpoint;
    private final Duration recoveryTimeout;
    private final Backoff backoff;
    private final Clock clock;
    private final ExecutorService calls;
    private final Thread events;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile MesosHttpClient.Stream stream;

    public AgentConnection(URI endpoint, MesosHttpClient http, Listener listener, boolean checkpoint,
                           Duration recoveryTimeout, Duration backoffMax, Clock clock) {
        this.endpoint = endpoint;
        this.http = http;
        this.listener = listener;
        this.checkpoint = checkpoint;
        this.recoveryTimeout = recoveryTimeout;
        this.backoff = new Backoff(backoffMax);
        this.clock = clock;
        this.calls = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "agent-calls"));
        this.events = daemon(this::run, "agent-events");
    }

    public void start() {
        events.start();
    }

    /** Sends {@code call} (UPDATE, MESSAGE) in the background; a failure is logged, not retried here. */
    public void send(Call call) {
        try {
            calls.execute(() -> post(call));
        } catch (RejectedExecutionException e) {
            LOG.debug("not sending {}: the connection is closed", call.getType());
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        MesosHttpClient.Stream current = stream;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.debug("closing the event stream: {}", e.getMessage());
            }
        }
        events.interrupt();
        calls.shutdownNow();
    }

    private void run() {
        Instant giveUpAt = clock.instant().plus(checkpoint ? recoveryTimeout : FIRST_SUBSCRIPTION_WINDOW);
        while (!closed) {
            Attempt attempt = new Attempt();
            String why;
            try {
                why = subscribeAndRead(attempt);
            } catch (IOException e) {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (closed) {
                return;
            }
            if (attempt.subscribed) {
                backoff.reset();
                if (!checkpoint) {
                    listener.onLost("disconnected from the agent (" + why + ") and the framework does not checkpoint");
                    return;
                }
                giveUpAt = clock.instant().plus(recoveryTimeout);
                listener.onDisconnected(why);
            }
            if (!clock.instant().isBefore(giveUpAt)) {
                listener.onLost("could not subscribe to the agent at " + endpoint + " in time: " + why);
                return;
            }
            Duration wait = backoff.next();
            LOG.info("subscribing again in {} ms ({})", wait.toMillis(), why);
            try {
                if (closing.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One subscription: returns (or throws) why it ended. */
    private String subscribeAndRead(Attempt attempt) throws IOException, InterruptedException {
        try (MesosHttpClient.Stream opened = http.subscribe(endpoint, listener.subscribeCall())) {
            stream = opened;
            if (closed) {
                return "closed";
            }
            RecordIO.Reader reader = opened.reader();
            byte[] record;
            while ((record = reader.next()) != null) {
                Event event = MesosCodec.decode(record, http.mediaType(), Event.newBuilder());
                if (event.getType() == Event.Type.SUBSCRIBED) {
                    attempt.subscribed = true;
                    LOG.info("subscribed to the agent at {}", opened.uri());
                }
                if (event.getType() == Event.Type.ERROR) {
                    return "the agent sent ERROR: " + event.getError().getMessage();
                }
                listener.onEvent(event);
            }
            return "the agent closed the event stream";
        } finally {
            stream = null;
        }
    }

    private void post(Call call) {
        try {
            http.call(endpoint, call, null);
        } catch (IOException e) {
            LOG.warn("{} call to the agent failed: {}", call.getType(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** What one subscription attempt got to. */
    private static final class Attempt {
        private boolean subscribed;
    }
}
