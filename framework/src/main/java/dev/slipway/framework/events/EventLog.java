package dev.slipway.framework.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.zk.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's recent events, in memory: the last {@value #CAPACITY} (a ring; older ones are
 * forgotten), numbered {@code <term>-<seq>} where the term names this leader's term and the
 * sequence counts from 1 within it. Clients subscribe from an id they saw ({@code Last-Event-ID})
 * and get what followed it, then each new event as it is published, with no gap and no duplicate
 * between the two; an id of another term or older than the ring is told as {@link Resume#missed}.
 *
 * <p>Publishing takes a short lock and hands each event to the subscribers without blocking (see
 * {@link Subscriber}); JSON is made once, on the publishing thread. Thread-safe.
 */
public final class EventLog implements EventSink {
    /** How many events are kept for clients resuming. */
    public static final int CAPACITY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    private final Clock clock;
    private final Event[] ring;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private long termMillis;
    private String term;
    private long seq;
    /** How many events the ring holds; the newest is at {@code (seq - 1) % capacity}. */
    private int size;

    public EventLog(Clock clock) {
        this(clock, CAPACITY);
    }

    /** A log that keeps {@code capacity} events: small ones for tests. */
    public EventLog(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("an event log keeps at least one event, not " + capacity);
        }
        this.clock = clock;
        this.ring = new Event[capacity];
        newTerm();
    }

    /**
     * Hears each event published after it subscribed. Called holding the log's lock, on the
     * publishing thread (the scheduler's, a build's, an event loop): it must hand the event over
     * and return, never block or call back into the log.
     */
    @FunctionalInterface
    public interface Subscriber {
        void event(Event event);

        /** The log ends this subscription ({@code why} says why, for the client): no event follows. */
        default void ended(String why) {
        }
    }

    /**
     * Where a subscription starts: the kept events after the id asked for (all kept events when
     * the id is not known, and then {@code missed} says why), and how to end it.
     */
    public record Resume(List<Event> backlog, String missed, Runnable cancel) {
        public Resume {
            backlog = List.copyOf(backlog);
        }
    }

    /**
     * Starts a new term: a newly elected leader's events are numbered afresh, and ids of the
     * former term are told as missed. Events kept are forgotten (another leader may have made
     * events since). Streams open are ended (see {@link #endStreams}).
     */
    public synchronized void newTerm() {
        endStreams("a new term of leadership began: reconnect with the last event id");
        termMillis = Math.max(clock.millis(), termMillis + 1);
        term = Long.toString(termMillis, 36);
        seq = 0;
        size = 0;
        java.util.Arrays.fill(ring, null);
    }

    @Override
    public void publish(String type, String app, Map<String, ?> fields) {
        publish(type, app, null, fields);
    }

    @Override
    public void publish(String type, String app, String team, Map<String, ?> fields) {
        Map<String, ?> all = fields;
        if (team != null) {
            Map<String, Object> withTeam = new java.util.LinkedHashMap<>(fields);
            withTeam.put("team", team);
            all = withTeam;
        }
        Instant at = clock.instant();
        synchronized (this) {
            long next = seq + 1;
            String json;
            try {
                json = json(term + "-" + next, type, app, at, all);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // A bug in a publisher: its event is lost, the publisher carries on.
                LOG.error("cannot publish a {} event of app {}: {}", type, app, e.getMessage());
                return;
            }
            Event event = new Event(term, next, type, app, at, json, team);
            seq = next;
            ring[(int) ((next - 1) % ring.length)] = event;
            size = Math.min(size + 1, ring.length);
            for (Subscriber subscriber : subscribers) {
                subscriber.event(event);
            }
        }
    }

    /**
     * Subscribes {@code subscriber} to events published from now on, and says which kept events
     * come before them for a client that last saw {@code lastEventId} (null: none, new events
     * only).
     */
    public synchronized Resume subscribe(String lastEventId, Subscriber subscriber) {
        subscribers.add(subscriber);
        Runnable cancel = () -> unsubscribe(subscriber);
        if (lastEventId == null) {
            return new Resume(List.of(), null, cancel);
        }
        int dash = lastEventId.lastIndexOf('-');
        long after = -1;
        if (dash > 0 && lastEventId.substring(0, dash).equals(term)) {
            try {
                after = Long.parseLong(lastEventId.substring(dash + 1));
            } catch (NumberFormatException e) {
                after = -1;
            }
        }
        long oldest = seq - size + 1;
        if (dash <= 0 || !lastEventId.substring(0, dash).equals(term)) {
            return new Resume(kept(oldest), "event " + lastEventId + " is not of this leader's term (" + term
                    + "): a leader was elected since, or the id is not one of Slipway's", cancel);
        }
        if (after < 0 || after > seq) {
            return new Resume(kept(oldest), "event " + lastEventId + " was never sent", cancel);
        }
        if (after < oldest - 1) {
            return new Resume(kept(oldest), "event " + lastEventId + " is older than the last " + ring.length
                    + " events kept", cancel);
        }
        return new Resume(kept(after + 1), null, cancel);
    }

    /**
     * Ends every subscription, telling each subscriber {@code why}: when this instance stops
     * leading (its clients reconnect, through the forwarding, to the new leader) and when a new
     * term begins.
     */
    public synchronized void endStreams(String why) {
        List<Subscriber> ending = List.copyOf(subscribers);
        subscribers.clear();
        ending.forEach(subscriber -> subscriber.ended(why));
    }

    private synchronized void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** The kept events from {@code from} on, oldest first. */
    private List<Event> kept(long from) {
        List<Event> events = new ArrayList<>((int) Math.max(0, seq - from + 1));
        for (long s = Math.max(from, seq - size + 1); s <= seq; s++) {
            events.add(ring[(int) ((s - 1) % ring.length)]);
        }
        return events;
    }

    /** The id of the last event published (its sequence 0 before any in this term). */
    public synchronized String lastId() {
        return term + "-" + seq;
    }

    /** How many clients follow the log now. */
    public synchronized int subscribers() {
        return subscribers.size();
    }

    private static String json(String id, String type, String app, Instant at, Map<String, ?> fields)
            throws JsonProcessingException {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", id);
        node.put("type", type);
        node.put("app", app);
        node.put("at", at.toString());
        fields.forEach((name, value) -> {
            if (node.has(name)) {
                throw new IllegalArgumentException("field " + name + " is the event's own");
            }
            node.set(name, Json.mapper().valueToTree(value));
        });
        return Json.mapper().writeValueAsString(node);
    }
}
