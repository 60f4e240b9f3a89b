package dev.slipway.framework.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Server-Sent Events framing (the WHATWG HTML "server-sent events" section): messages of
 * {@code id:}, {@code event:} and {@code data:} lines ending with a blank line, and comments
 * ({@code : keep-alive}) that keep proxies from cutting a quiet stream.
 */
final class Sse {
    static final String CONTENT_TYPE = "text/event-stream";
    /** How often a quiet stream says it lives; proxies commonly cut idle responses after 30-60 s. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** CR, LF and CRLF all end a line in SSE: text with any of them becomes several {@code data:} lines. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private Sse() {
    }

    /** Whether the client asked for SSE ({@code Accept: text/event-stream}); plain text otherwise. */
    static boolean wanted(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(CONTENT_TYPE);
    }

    /**
     * Starts a 200 SSE answer and sends its head at once (the client sees the stream begin), with
     * how long a client should wait before reconnecting.
     */
    static HttpServerResponse start(RoutingContext ctx) {
        HttpServerResponse response = ctx.response().setStatusCode(200)
                .putHeader("Content-Type", CONTENT_TYPE + "; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                // nginx buffers responses unless told not to: events would come in bursts.
                .putHeader("X-Accel-Buffering", "no")
                .setChunked(true);
        response.write("retry: 2000\n\n");
        return response;
    }

    /** One message; {@code id} and {@code event} may be null (no line). */
    static Buffer message(String id, String event, String data) {
        StringBuilder text = new StringBuilder();
        if (id != null) {
            text.append("id: ").append(oneLine(id)).append('\n');
        }
        if (event != null) {
            text.append("event: ").append(oneLine(event)).append('\n');
        }
        for (String line : LINE_BREAK.split(data, -1)) {
            text.append("data: ").append(line).append('\n');
        }
        return Buffer.buffer(text.append('\n').toString());
    }

    /** A comment line, which clients ignore. */
    static Buffer comment(String text) {
        return Buffer.buffer(": " + oneLine(text) + "\n\n");
    }

    /**
     * Sends {@code : keep-alive} every {@link #KEEP_ALIVE} while the response is open (not when
     * its write queue is full: that client is not reading anyway). The timer ends itself once the
     * response has ended; its id is returned for the owner to cancel sooner.
     */
    static long keepAlive(Vertx vertx, HttpServerResponse response, Duration every) {
        return vertx.setPeriodic(every.toMillis(), id -> {
            if (response.ended() || response.closed()) {
                vertx.cancelTimer(id);
            } else if (!response.writeQueueFull()) {
                response.write(comment("keep-alive"));
            }
        });
    }

    private static String oneLine(String text) {
        return LINE_BREAK.matcher(text).replaceAll(" ");
    }
}
