package dev.slipway.framework.api;

import dev.slipway.framework.events.Event;
import dev.slipway.framework.events.EventLog;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.zk.Json;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's {@code GET /events}: the kept events after its {@code Last-Event-ID}, then each new
 * event it may see as it is published, as SSE, until it goes away.
 *
 * <p>Publishers hand events over through a lock-free inbox and one scheduled hop onto the
 * request's event loop, which owns everything else here; they never wait for a client. Events
 * wait while the response's write queue is full; a client with more than {@value #MAX_WAITING}
 * new events waiting is dropped (a last comment says why, and it may resume with its
 * {@code Last-Event-ID}): the framework never holds more than that for anyone.
 */
final class EventStream implements EventLog.Subscriber {
    /** New events that may wait for a slow client; one more, and it is dropped. */
    static final int MAX_WAITING = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Context context;
    private final HttpServerResponse response;
    private final Predicate<Event> filter;
    private final int maxWaiting;
    private final Queue<Event> inbox = new ConcurrentLinkedQueue<>();
    /** New events accepted and not yet written out. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean overflowed;

    // Owned by the event loop.
    private final ArrayDeque<Event> waiting = new ArrayDeque<>();
    /** How many of the first events waiting are kept ones, sent on resumption (not counted as pending). */
    private int backlogLeft;
    private Runnable cancel;
    private long keepAlive = -1;
    private Vertx vertx;
    private boolean stopped;

    private EventStream(Context context, HttpServerResponse response, Predicate<Event> filter, int maxWaiting) {
        this.context = context;
        this.response = response;
        this.filter = filter;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Answers the request with the events {@code filter} lets through: those kept after
     * {@code lastEventId} (null: none), then new ones. On the request's event loop.
     */
    static void send(io.vertx.ext.web.RoutingContext ctx, EventLog log, String lastEventId, Predicate<Event> filter,
                     Duration keepAliveEvery, int maxWaiting, Clock clock) {
        HttpServerResponse response = ctx.response();
        EventStream stream = new EventStream(ctx.vertx().getOrCreateContext(), response, filter, maxWaiting);
        stream.vertx = ctx.vertx();
        response.closeHandler(v -> stream.stop());
        response.exceptionHandler(e -> stream.stop());
        if (response.closed()) {
            return;
        }
        // Subscribed before the head goes out: a client that sees the stream open misses nothing after.
        EventLog.Resume resume = log.subscribe(lastEventId, stream);
        stream.cancel = resume.cancel();
        Sse.start(ctx);
        if (resume.missed() != null) {
            response.write(missed(lastEventId, resume.missed(), clock));
        }
        resume.backlog().stream().filter(filter).forEach(stream.waiting::addLast);
        stream.backlogLeft = stream.waiting.size();
        stream.keepAlive = Sse.keepAlive(ctx.vertx(), response, keepAliveEvery);
        stream.pump();
    }

    /** From a publishing thread, holding the log's lock: hands the event to the event loop. */
    @Override
    public void event(Event event) {
        if (overflowed || !filter.test(event)) {
            return;
        }
        if (pending.incrementAndGet() > maxWaiting) {
            overflowed = true;
            context.runOnContext(v -> drop());
            return;
        }
        inbox.add(event);
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                scheduled.set(false);
                Event next;
                while ((next = inbox.poll()) != null) {
                    if (!stopped) {
                        waiting.addLast(next);
                    }
                }
                pump();
            });
        }
    }

    private void pump() {
        if (stopped) {
            return;
        }
        while (!waiting.isEmpty() && !response.writeQueueFull()) {
            Buffer chunk = Buffer.buffer();
            while (!waiting.isEmpty() && chunk.length() < CHUNK_BYTES) {
                Event event = waiting.pollFirst();
                chunk.appendBuffer(Sse.message(event.id(), event.type(), event.json()));
                if (backlogLeft > 0) {
                    backlogLeft--;
                } else {
                    pending.decrementAndGet();
                }
            }
            response.write(chunk);
        }
        if (!waiting.isEmpty()) {
            response.drainHandler(v -> pump());
        }
    }

    /** From the log's thread: the log ends this stream (leadership moved); what waits is sent first. */
    @Override
    public void ended(String why) {
        context.runOnContext(v -> {
            if (stopped) {
                return;
            }
            Event next;
            while ((next = inbox.poll()) != null) {
                waiting.addLast(next);
            }
            Buffer rest = Buffer.buffer();
            waiting.forEach(event -> rest.appendBuffer(Sse.message(event.id(), event.type(), event.json())));
            stop();
            if (!response.ended() && !response.closed()) {
                response.end(rest.appendBuffer(Sse.comment(why)));
            }
        });
    }

    /** Too many events wait for this client: it is let go, and told how to come back. */
    private void drop() {
        if (stopped) {
            return;
        }
        int left = waiting.size() + inbox.size();
        stop();
        LOG.info("an event stream client was dropped: it read too slowly ({} events waiting)", left);
        if (!response.ended() && !response.closed()) {
            response.end(Sse.comment("dropped: this client read too slowly (more than " + maxWaiting
                    + " events waiting); reconnect with the Last-Event-ID it last saw to resume"));
        }
    }

    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (cancel != null) {
            cancel.run();
        }
        if (keepAlive >= 0) {
            vertx.cancelTimer(keepAlive);
        }
        waiting.clear();
        inbox.clear();
    }

    private static Buffer missed(String lastEventId, String why, Clock clock) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", null);
        body.put("type", EventTypes.MISSED);
        body.put("app", null);
        body.put("at", clock.instant().toString());
        body.put("last_event_id", lastEventId);
        body.put("message", "events may have been missed: " + why + "; every event kept follows");
        try {
            return Sse.message(null, EventTypes.MISSED, Json.mapper().writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
