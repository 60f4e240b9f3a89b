package dev.slipway.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The Netty data path's header rules, {@link Forward}'s, applied to Netty's own messages in place
 * (no copy into another map): the client's head becomes the app's, the app's head the client's.
 */
final class InPlaceHeaders {
    private InPlaceHeaders() {
    }

    /**
     * The client's {@code request} as the app gets it: hop-by-hop headers out (a WebSocket's
     * {@code upgrade} back in), the body framed again as it came, Heroku's headers in (Via saying
     * {@code 2.0} for a request made of an HTTP/2 stream), HTTP/1.1.
     */
    static void toApp(HttpRequest request, String upgrade, boolean secure, int localPort, Exchange exchange,
                      String forwardedFor) {
        HttpHeaders headers = request.headers();
        boolean http2 = request.protocolVersion().majorVersion() == 2;
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        HopByHop.removeFrom(headers);
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (upgrade != null) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        ForwardedHeaders.toApp(headers, http2, secure, localPort, exchange, forwardedFor);
        // The app always gets HTTP/1.1, kept alive, as from Vert.x's client.
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * The app's {@code response} as a client speaking {@code version} gets it: hop-by-hop headers out,
     * X-Request-Id and Via in, a body the app did not frame chunked again (HTTP/1.1) or ended by the
     * connection's close (HTTP/1.0: whether it must close is returned), and the Connection the
     * client's connection needs ({@code close}: it closes after this answer).
     */
    static boolean toClient(HttpResponse response, HttpVersion version, boolean head, boolean close, Exchange exchange) {
        HttpHeaders headers = response.headers();
        int status = response.status().code();
        boolean framed = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        String via = headers.contains(ForwardedHeaders.VIA_HEADER) ? ForwardedHeaders.via(headers) : ForwardedHeaders.VIA;
        HopByHop.removeFrom(headers);
        headers.set(RequestId.HEADER, exchange.requestId());
        headers.set(ForwardedHeaders.VIA_HEADER, via);
        response.setProtocolVersion(version);
        boolean closeAtEnd = false;
        if (!framed && status != 204 && status != 304 && !head) {
            if (version == HttpVersion.HTTP_1_0) {
                // Without chunks, only the end of the connection can end this body for an HTTP/1.0 client.
                closeAtEnd = true;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        if (closeAtEnd || close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version == HttpVersion.HTTP_1_0) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return closeAtEnd;
    }
}
