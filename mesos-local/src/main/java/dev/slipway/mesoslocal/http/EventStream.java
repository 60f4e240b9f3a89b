package dev.slipway.mesoslocal.http;

import com.google.protobuf.Message;
import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosCodec;
import dev.slipway.mesos.RecordIO;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * One open SUBSCRIBE response: a chunked 200 whose body is RecordIO-framed events in the media
 * type the subscriber accepts. Sending on a closed stream drops the event, as Mesos does.
 */
public final class EventStream {
    public static final String STREAM_ID_HEADER = "Mesos-Stream-Id";

    private final HttpServerResponse response;
    private final MediaType type;
    private final String streamId;
    private final Context core;
    private final List<Runnable> disconnectListeners = new ArrayList<>();
    private boolean open = true;

    private EventStream(HttpServerResponse response, MediaType type, String streamId, Context core) {
        this.response = response;
        this.type = type;
        this.streamId = streamId;
        this.core = core;
    }

    /**
     * Starts the streaming response; {@code streamId} may be null (the executor API has none).
     * Disconnect listeners run on {@code core}.
     */
    public static EventStream open(HttpServerResponse response, MediaType type, String streamId, Context core) {
        EventStream stream = new EventStream(response, type, streamId, core);
        response.setStatusCode(200).setChunked(true).putHeader("Content-Type", type.value());
        if (streamId != null) {
            response.putHeader(STREAM_ID_HEADER, streamId);
        }
        response.closeHandler(v -> stream.onCore(stream::disconnected));
        response.exceptionHandler(e -> stream.onCore(stream::disconnected));
        return stream;
    }

    public String streamId() {
        return streamId;
    }

    public MediaType type() {
        return type;
    }

    public boolean isOpen() {
        return open;
    }

    /** Runs {@code listener} when the subscriber goes away (not when this side closes). */
    public void onDisconnect(Runnable listener) {
        disconnectListeners.add(listener);
    }

    public void send(Message event) {
        if (!open) {
            return;
        }
        response.write(Buffer.buffer(RecordIO.frame(MesosCodec.encode(event, type))));
    }

    /** Ends the response; the subscriber sees the end of the stream. */
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }

    private void onCore(Runnable action) {
        if (Vertx.currentContext() == core) {
            action.run();
        } else {
            core.runOnContext(v -> action.run());
        }
    }

    private void disconnected() {
        if (!open) {
            return;
        }
        open = false;
        List.copyOf(disconnectListeners).forEach(Runnable::run);
    }
}
