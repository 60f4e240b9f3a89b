package dev.slipway.framework.events;

import java.util.List;

/** The types of events, as clients filter them ({@code ?type=build.failed,deployment.failed}). */
public final class EventTypes {
    public static final String APP_CREATED = "app.created";
    public static final String APP_DESTROYED = "app.destroyed";
    public static final String BUILD_STARTED = "build.started";
    public static final String BUILD_SUCCEEDED = "build.succeeded";
    public static final String BUILD_FAILED = "build.failed";
    public static final String RELEASE_CREATED = "release.created";
    public static final String DEPLOYMENT_PROGRESS = "deployment.progress";
    public static final String DEPLOYMENT_SUCCEEDED = "deployment.succeeded";
    public static final String DEPLOYMENT_FAILED = "deployment.failed";
    public static final String INSTANCE_STATE = "instance.state";
    public static final String INSTANCE_HEALTH = "instance.health";
    /**
     * Sent to one client only, never logged: the events it asked to resume after are gone (older
     * than the log keeps, or of another leader's term), and every event kept follows.
     */
    public static final String MISSED = "events.missed";

    /** Every type a client may ask for, in the order the docs list them. */
    public static final List<String> ALL = List.of(APP_CREATED, APP_DESTROYED, BUILD_STARTED, BUILD_SUCCEEDED,
            BUILD_FAILED, RELEASE_CREATED, DEPLOYMENT_PROGRESS, DEPLOYMENT_SUCCEEDED, DEPLOYMENT_FAILED,
            INSTANCE_STATE, INSTANCE_HEALTH, MISSED);

    private EventTypes() {
    }
}
