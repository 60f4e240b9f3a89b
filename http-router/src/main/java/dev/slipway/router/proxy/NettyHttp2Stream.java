package dev.slipway.router.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 stream on the Netty data path as the HTTP/1.1 messages {@link ClientSide} reads and
 * writes, so that an HTTP/2 request is routed, forwarded and logged as any other: the HEADERS frame
 * becomes a request head ({@code :authority} its Host, a body without content-length chunked, the
 * version {@link #HTTP_2} so that the app's Via says {@code 2.0}), DATA frames its body; the answer's
 * head becomes a HEADERS frame without the headers HTTP/2 forbids, its body DATA frames. Netty's codec
 * has already validated the frames (connection-specific headers, content-length against the DATA,
 * the header list's size); what is left is refused here as on the Vert.x path ({@link Http2Requests}):
 * an answer of the router's own, or a reset (PROTOCOL_ERROR) when {@code :authority} and Host differ
 * (RFC 9113 §8.3.1). One per stream channel.
 */
final class NettyHttp2Stream extends ChannelDuplexHandler {
    static final String NAME = "slipway-http2-stream";
    /** The version of the requests made of HTTP/2 streams (the app gets HTTP/1.1 all the same). */
    static final HttpVersion HTTP_2 = new HttpVersion("HTTP", 2, 0, true);
    private static final Logger LOG = LoggerFactory.getLogger(NettyHttp2Stream.class);
    /** HTTP/2 field names are lower case. */
    private static final AsciiString REQUEST_ID = AsciiString.of(RequestId.HEADER).toLowerCase();

    /** The request was refused: what else the client sends on the stream is dropped. */
    private boolean refused;
    private boolean headRead;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        List<Object> out = new ArrayList<>(2);
        try {
            if (!refused && (msg instanceof Http2HeadersFrame || msg instanceof Http2DataFrame)) {
                read(ctx, (Http2StreamFrame) msg, out);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        for (Object decoded : out) {
            ctx.fireChannelRead(decoded);
        }
    }

    private void read(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) {
        if (frame instanceof Http2DataFrame data) {
            out.add(data.isEndStream() ? new DefaultLastHttpContent(data.content().retain())
                    : new DefaultHttpContent(data.content().retain()));
            return;
        }
        Http2HeadersFrame headers = (Http2HeadersFrame) frame;
        if (headRead) {
            // Trailers: the last of the body.
            LastHttpContent last = new DefaultLastHttpContent();
            copyRegular(headers.headers(), last.trailingHeaders());
            out.add(last);
            return;
        }
        headRead = true;
        HttpRequest request;
        try {
            request = request(ctx, headers.headers());
        } catch (IllegalArgumentException e) {
            // A method or header value HTTP/1.1 could not carry (a control character, say): malformed (RFC 9113 §8.1.1).
            LOG.debug("reset a stream with a malformed request: {}", e.toString());
            reset(ctx);
            return;
        }
        if (request == null) {
            return;
        }
        if (headers.isEndStream()) {
            out.add(request);
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            if (!request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                // HTTP/2 frames a body by its DATA frames alone; HTTP/1.1 needs a length or chunks.
                // No client can have sent this header: it is connection-specific, a stream error in HTTP/2.
                request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
            out.add(request);
        }
    }

    /** The request head of {@code headers}, or null when it was refused. */
    private HttpRequest request(ChannelHandlerContext ctx, Http2Headers headers) {
        String method = headers.method() == null ? "" : headers.method().toString();
        String path = headers.path() == null ? null : headers.path().toString();
        CharSequence authority = headers.authority();
        List<CharSequence> hosts = headers.getAll(HttpHeaderNames.HOST);
        String refusal = Http2Requests.refusal(method, path, authority != null || !hosts.isEmpty(), hosts.size());
        if (refusal == null && authority != null && hosts.size() == 1
                && !AsciiString.contentEqualsIgnoreCase(authority, hosts.get(0))) {
            LOG.debug("reset a stream whose :authority {} and Host {} differ", authority, hosts.get(0));
            reset(ctx);
            return null;
        }
        if (refusal != null) {
            refused = true;
            LOG.debug("refused an HTTP/2 request from {}: {}", ctx.channel().remoteAddress(), refusal);
            int status = method.equals("CONNECT") ? 405 : 400;
            CharSequence id = headers.get(REQUEST_ID);
            FullHttpResponse answer = NettyReplies.refusal(ctx, HTTP_2, status,
                    RequestId.keepOrCreate(id == null ? null : id.toString()), refusal);
            // From the tail: through this codec's encoder.
            ctx.channel().writeAndFlush(answer);
            return null;
        }
        HttpRequest request = new DefaultHttpRequest(HTTP_2, HttpMethod.valueOf(method), path);
        HttpHeaders to = request.headers();
        copyRegular(headers, to);
        if (hosts.isEmpty()) {
            to.set(HttpHeaderNames.HOST, authority);
        }
        return request;
    }

    private void reset(ChannelHandlerContext ctx) {
        refused = true;
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
    }

    /** The regular (not pseudo) headers of {@code from}; cookies joined again into one (RFC 9113 §8.2.3). */
    private static void copyRegular(Http2Headers from, HttpHeaders to) {
        StringBuilder cookies = null;
        for (Map.Entry<CharSequence, CharSequence> header : from) {
            CharSequence name = header.getKey();
            if (Http2Headers.PseudoHeaderName.hasPseudoHeaderFormat(name)) {
                continue;
            }
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)) {
                cookies = cookies == null ? new StringBuilder() : cookies.append("; ");
                cookies.append(header.getValue());
                continue;
            }
            to.add(name, header.getValue());
        }
        if (cookies != null) {
            to.set(HttpHeaderNames.COOKIE, cookies.toString());
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof HttpObject)) {
            ctx.write(msg, promise);
            return;
        }
        List<Object> out = new ArrayList<>(2);
        try {
            encode((HttpObject) msg, out);
        } catch (RuntimeException e) {
            // A header HTTP/2 cannot carry: the frames made so far go too (the write fails, and the stream with it).
            out.forEach(ReferenceCountUtil::release);
            throw e;
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (out.isEmpty()) {
            promise.trySuccess();
            return;
        }
        for (int i = 0; i < out.size() - 1; i++) {
            ctx.write(out.get(i), ctx.voidPromise());
        }
        ctx.write(out.get(out.size() - 1), promise);
    }

    private static void encode(HttpObject msg, List<Object> out) {
        if (msg instanceof HttpResponse response) {
            boolean informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (informational && response.status().code() != 100) {
                // Only 100 Continue (the router's own, for Expect) goes out; the app's 1xx are dropped before.
                return;
            }
            boolean ends = !informational && msg instanceof FullHttpResponse full && !full.content().isReadable()
                    && full.trailingHeaders().isEmpty();
            out.add(new DefaultHttp2HeadersFrame(headers(response), ends));
            if (informational || ends) {
                return;
            }
        }
        if (msg instanceof LastHttpContent last) {
            boolean trailers = !last.trailingHeaders().isEmpty();
            out.add(new DefaultHttp2DataFrame(last.content().retain(), !trailers));
            if (trailers) {
                Http2Headers fields = new DefaultHttp2Headers();
                copy(last.trailingHeaders(), fields);
                out.add(new DefaultHttp2HeadersFrame(fields, true));
            }
        } else if (msg instanceof HttpContent content && content.content().isReadable()) {
            out.add(new DefaultHttp2DataFrame(content.content().retain(), false));
        }
    }

    /** The answer's head as HTTP/2 fields: its status, and its headers without the connection-specific ones. */
    private static Http2Headers headers(HttpResponse response) {
        HttpHeaders headers = response.headers();
        Http2Requests.withoutConnectionHeaders(headers);
        Http2Headers fields = new DefaultHttp2Headers();
        fields.status(response.status().codeAsText());
        copy(headers, fields);
        return fields;
    }

    private static void copy(HttpHeaders from, Http2Headers to) {
        var entries = from.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = entries.next();
            to.add(AsciiString.of(header.getKey()).toLowerCase(), header.getValue());
        }
    }
}
