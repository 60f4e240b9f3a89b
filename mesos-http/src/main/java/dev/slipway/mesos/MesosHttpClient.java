package dev.slipway.mesos;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A blocking client for the Mesos v1 HTTP APIs (scheduler and executor alike): one streaming
 * SUBSCRIBE connection per subscriber, and plain calls that answer 202. Callers run it on their
 * own threads; nothing here touches an event loop.
 */
public final class MesosHttpClient {
    public static final String STREAM_ID_HEADER = "Mesos-Stream-Id";
    private static final int MAX_REDIRECTS = 5;
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(15);

    private final MediaType mediaType;
    private final Duration connectTimeout;
    private final String authorization;
    private volatile HttpClient http;

    /** A client that sends no credentials (a Mesos without HTTP authentication). */
    public MesosHttpClient(MediaType mediaType, Duration connectTimeout) {
        this(mediaType, connectTimeout, null);
    }

    /**
     * A client that sends {@code authorization} as the {@code Authorization} header of every request,
     * SUBSCRIBE and calls alike: {@link Credential#basicAuthorization()} for a framework,
     * {@link #bearer(String)} for an executor; null for none.
     */
    public MesosHttpClient(MediaType mediaType, Duration connectTimeout, String authorization) {
        this.mediaType = mediaType;
        this.connectTimeout = connectTimeout;
        this.authorization = authorization;
        this.http = newClient();
    }

    /** The {@code Authorization} header value for an executor's token ({@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}). */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                // Redirects are followed by hand: a POST must stay a POST, and callers want the leader's URI.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Forgets every pooled connection. After a connection was found dead (no heartbeat), the
     * others to the same master may be dead too; reusing one would stall the next subscription.
     */
    public void reset() {
        http = newClient();
    }

    public MediaType mediaType() {
        return mediaType;
    }

    /**
     * Opens a SUBSCRIBE stream: the response's status, the stream id the server gave, the URI that
     * answered (after redirects), and the body to read RecordIO records from. Non-200 answers are
     * returned as {@link MesosHttpException} with the server's message.
     */
    public Stream subscribe(URI endpoint, Message subscribeCall) throws IOException, InterruptedException {
        URI uri = endpoint;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            // Bounded until the response head: a pooled connection on a dead link must not hang the subscriber.
            HttpRequest request = request(uri, subscribeCall, null).timeout(SUBSCRIBE_TIMEOUT).build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 307) {
                response.body().close();
                uri = redirect(uri, response);
                continue;
            }
            if (response.statusCode() != 200) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                }
                throw new MesosHttpException(response.statusCode(), body);
            }
            String streamId = response.headers().firstValue(STREAM_ID_HEADER).orElse(null);
            return new Stream(uri, streamId, response.body());
        }
        throw new IOException("too many redirects from " + endpoint);
    }

    /**
     * Sends one call on an established subscription. Mesos answers 202 Accepted; anything else
     * is a {@link MesosHttpException} carrying the status and the server's reason.
     */
    public void call(URI endpoint, Message call, String streamId) throws IOException, InterruptedException {
        HttpRequest request = request(endpoint, call, streamId).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202 && response.statusCode() != 200) {
            throw new MesosHttpException(response.statusCode(), response.body());
        }
    }

    private HttpRequest.Builder request(URI uri, Message call, String streamId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("Content-Type", mediaType.value())
                .header("Accept", mediaType.value())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MesosCodec.encode(call, mediaType)));
        if (streamId != null) {
            builder.header(STREAM_ID_HEADER, streamId);
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static URI redirect(URI from, HttpResponse<?> response) throws IOException {
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) {
            throw new IOException("307 from " + from + " without a Location header");
        }
        // Mesos sends a scheme-relative location such as //host:5050/api/v1/scheduler.
        String target = location.get().startsWith("//") ? from.getScheme() + ":" + location.get() : location.get();
        return from.resolve(target);
    }

    /** An open SUBSCRIBE stream. Closing it closes the connection. */
    public record Stream(URI uri, String streamId, InputStream body) implements AutoCloseable {
        public RecordIO.Reader reader() {
            return new RecordIO.Reader(body);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
