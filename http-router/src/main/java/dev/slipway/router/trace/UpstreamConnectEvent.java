package dev.slipway.router.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event ({@code slipway.UpstreamConnect}) for each new connection the Netty data path opens to an
 * app instance, from the connect call until it is there or failed: a cold router opens up to
 * 64 per instance per event loop at first. Made only while a recording has it on.
 */
@Name(UpstreamConnectEvent.NAME)
@Label("Upstream Connect")
@Category({"Slipway", "Router"})
@Description("A new connection from the router to an app instance")
@StackTrace(false)
public final class UpstreamConnectEvent extends Event {
    public static final String NAME = "slipway.UpstreamConnect";
    private static final UpstreamConnectEvent PROBE = new UpstreamConnectEvent();

    @Label("Instance")
    public String instance;
    @Label("Succeeded")
    public boolean succeeded;
    @Label("Pool Open")
    @Description("Connections open or being opened to the instance on this event loop, this one included")
    public int poolOpen;

    /** A started connect, or null while no recording wants the event. */
    public static UpstreamConnectEvent startIfRecording(String instance, int open) {
        if (!PROBE.isEnabled()) {
            return null;
        }
        UpstreamConnectEvent event = new UpstreamConnectEvent();
        event.instance = instance;
        event.poolOpen = open;
        event.begin();
        return event;
    }

    public void ended(boolean ok) {
        end();
        if (shouldCommit()) {
            succeeded = ok;
            commit();
        }
    }
}
