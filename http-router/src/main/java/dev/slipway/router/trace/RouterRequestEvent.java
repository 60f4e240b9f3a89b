package dev.slipway.router.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JFR event per request the router forwards ({@code slipway.RouterRequest}): when each of its phases
 * was reached, counted from the moment its head had been read. The event's start is that moment and
 * its duration lasts until the answer ended (or the request ended otherwise). A phase never reached
 * is -1. Nothing of it is made while no recording has the event on ({@link RequestPhases#start}); then
 * it costs one check per request.
 */
@Name(RouterRequestEvent.NAME)
@Label("Router request")
@Category({"Slipway", "Router"})
@Description("One request through the router and when it reached each phase, counted from its head read")
@StackTrace(false)
public final class RouterRequestEvent extends Event implements RequestPhases {
    public static final String NAME = "slipway.RouterRequest";
    /** Only asked whether the event is on: isEnabled() reads the event type's state, not the instance's. */
    private static final RouterRequestEvent PROBE = new RouterRequestEvent();

    @Label("Data path")
    public String dataPath;
    @Label("App")
    public String app;
    @Label("Request Id")
    public String requestId;
    @Label("Instance")
    @Description("The instance of the last attempt")
    public String instance;
    @Label("Status")
    public int status;
    @Label("Router Error")
    @Description("Heroku's code when the router answered or ended the request itself (H12, H13, ...), or null")
    public String error;
    @Label("Attempts")
    public int attempts;
    @Label("Routed")
    @Description("Head read to its app found")
    @Timespan(Timespan.NANOSECONDS)
    public long routed = -1;
    @Label("Queued")
    @Description("How long the last attempt waited for one of the pool's connections to come back (0: it did not wait); -1 where the data path does not tell")
    @Timespan(Timespan.NANOSECONDS)
    public long queued = -1;
    @Label("Fresh Connection")
    @Description("Whether the last attempt made a new connection to the instance rather than reusing a kept-alive one (Netty path only)")
    public boolean freshConnection;
    @Label("Pool Open")
    @Description("Connections open or being opened to the instance, on this event loop, when the last attempt asked for one (Netty path only)")
    public int poolOpen = -1;
    @Label("Pool Waiting")
    @Description("Requests already waiting for one of them then (Netty path only)")
    public int poolWaiting = -1;
    @Label("Connected")
    @Description("Head read to the last attempt's connection there")
    @Timespan(Timespan.NANOSECONDS)
    public long connected = -1;
    @Label("Head Sent")
    @Description("Head read to the request's head written to the app's connection")
    @Timespan(Timespan.NANOSECONDS)
    public long headSent = -1;
    @Label("First Byte")
    @Description("Head read to the head of the app's answer")
    @Timespan(Timespan.NANOSECONDS)
    public long firstByte = -1;

    /** System.nanoTime() when the head had been read: the phases count from here. */
    private transient long headAt;

    /**
     * A started event for a request whose head was read just now, or null while no recording wants
     * it (then nothing else is done for it).
     */
    static RouterRequestEvent startIfRecording(String dataPath) {
        if (!PROBE.isEnabled()) {
            return null;
        }
        RouterRequestEvent event = new RouterRequestEvent();
        event.dataPath = dataPath;
        event.begin();
        event.headAt = System.nanoTime();
        return event;
    }

    @Override
    public boolean recording() {
        return true;
    }

    /** Its app was found. */
    @Override
    public void routed(String appName, String id) {
        app = appName;
        requestId = id;
        routed = sinceHead();
    }

    /** An attempt at {@code instanceName} begins. */
    @Override
    public void attempting(String instanceName) {
        attempts++;
        instance = instanceName;
        queued = -1;
        freshConnection = false;
        poolOpen = -1;
        poolWaiting = -1;
        connected = -1;
        headSent = -1;
    }

    /** The attempt asked its pool for a connection: {@code open} were open, {@code waiting} waited already. */
    @Override
    public void pool(boolean fresh, int open, int waiting) {
        freshConnection = fresh;
        poolOpen = open;
        poolWaiting = waiting;
    }

    /**
     * The attempt waited {@code nanos} for a connection to its pool; {@code fresh}: then one closed, so
     * it makes a new one rather than reusing one that came back.
     */
    @Override
    public void queued(long nanos, boolean fresh) {
        queued = nanos;
        if (fresh) {
            freshConnection = true;
        }
    }

    @Override
    public void connected() {
        connected = sinceHead();
        if (queued < 0 && poolOpen >= 0) {
            queued = 0;
        }
    }

    @Override
    public void headSent() {
        headSent = sinceHead();
    }

    @Override
    public void firstByte() {
        if (firstByte < 0) {
            firstByte = sinceHead();
        }
    }

    /** The request is over: committed with {@code statusCode} and {@code routerError} (or null). */
    @Override
    public void ended(int statusCode, String routerError) {
        end();
        if (shouldCommit()) {
            status = statusCode;
            error = routerError;
            commit();
        }
    }

    private long sinceHead() {
        return System.nanoTime() - headAt;
    }
}
