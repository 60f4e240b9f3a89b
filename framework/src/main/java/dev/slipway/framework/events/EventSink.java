package dev.slipway.framework.events;

import java.util.Map;

/**
 * Where the framework's parts (the API, the builds, the scheduler) say what happened, for
 * {@code GET /events}. Implementations never block and never throw, so that the scheduler's
 * thread, build threads and event loops may call them. Fields must never hold a secret (a config
 * value, a token): events are shown to every client that may see the app.
 */
@FunctionalInterface
public interface EventSink {
    /** Tells no one. */
    EventSink NONE = (type, app, fields) -> { };

    /**
     * Publishes one event of {@code type} (one of {@link EventTypes#ALL}) about {@code app}.
     *
     * @param fields the event's own fields in snake_case, with a {@code message} for people;
     *               values are strings, numbers, booleans or null
     */
    void publish(String type, String app, Map<String, ?> fields);

    /**
     * As {@link #publish(String, String, Map)}, saying the app's {@code team} (null: none), which the
     * event's JSON carries as {@code team} and its {@link Event#team()} gives readers.
     */
    default void publish(String type, String app, String team, Map<String, ?> fields) {
        if (team == null) {
            publish(type, app, fields);
            return;
        }
        Map<String, Object> withTeam = new java.util.LinkedHashMap<>(fields);
        withTeam.put("team", team);
        publish(type, app, withTeam);
    }
}
