package dev.slipway.router.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A JFR event ({@code slipway.UpstreamPoolWait}) for a request that waited, on the Netty data path,
 * for one of the connections its event loop keeps to an instance (all of them were busy), from when it
 * began to wait until it got one, gave up, or left. Only waits longer than the threshold (100 ms unless
 * the recording says otherwise) are recorded. Made only while a recording has it on, and only for
 * requests that wait.
 */
@Name(UpstreamPoolWaitEvent.NAME)
@Label("Upstream Pool Wait")
@Category({"Slipway", "Router"})
@Description("A request waited for one of its event loop's connections to an app instance")
@StackTrace(false)
@Threshold("100 ms")
public final class UpstreamPoolWaitEvent extends Event {
    public static final String NAME = "slipway.UpstreamPoolWait";
    private static final UpstreamPoolWaitEvent PROBE = new UpstreamPoolWaitEvent();

    @Label("App")
    public String app;
    @Label("Instance")
    public String instance;
    @Label("Outcome")
    @Description("reused (a connection came back), fresh (one closed, so a new one is made), timed out, or cancelled (the client left)")
    public String outcome;
    @Label("Pool Open")
    @Description("Connections open or being opened to the instance on this event loop when the wait ended")
    public int poolOpen;
    @Label("Pool Waiting")
    @Description("Requests still waiting when the wait ended")
    public int poolWaiting;

    /** A started wait, or null while no recording wants the event. */
    public static UpstreamPoolWaitEvent startIfRecording(String app, String instance) {
        if (!PROBE.isEnabled()) {
            return null;
        }
        UpstreamPoolWaitEvent event = new UpstreamPoolWaitEvent();
        event.app = app;
        event.instance = instance;
        event.begin();
        return event;
    }

    /** The wait ended so; committed if it lasted past the threshold. */
    public void ended(String how, int open, int waiting) {
        end();
        if (shouldCommit()) {
            outcome = how;
            poolOpen = open;
            poolWaiting = waiting;
            commit();
        }
    }
}
