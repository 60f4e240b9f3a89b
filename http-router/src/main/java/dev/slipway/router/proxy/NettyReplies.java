package dev.slipway.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * The router's own answers on the Netty data path, as {@link ErrorReply} and
 * {@code ClientConnections.refused} give them on the Vert.x path: Heroku's error pages, the one-line
 * refusals of requests the router cannot read, and the answer to {@code OPTIONS *}.
 */
final class NettyReplies {
    private static final String TEXT = "text/plain; charset=utf-8";

    private NettyReplies() {
    }

    /** Heroku's page for {@code error}, in the form {@code accept} prefers; returns its body's length. */
    static FullHttpResponse error(ChannelHandlerContext ctx, HttpVersion version, RouterError error, Exchange exchange,
                                  String accept) {
        ErrorPage page = ErrorPage.of(error, exchange.requestId(), accept);
        FullHttpResponse response = response(ctx, version, error.status(), page.body());
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, page.contentType())
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.VARY, "Accept")
                .set(RequestId.HEADER, exchange.requestId());
        return response;
    }

    /** One line of text for a request the router refuses before routing it (the connection closes after). */
    static FullHttpResponse refusal(ChannelHandlerContext ctx, HttpVersion version, int status, String requestId,
                                    String message) {
        FullHttpResponse response = response(ctx, version, status, message + "\n");
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT)
                .set("X-Content-Type-Options", "nosniff")
                .set(RequestId.HEADER, requestId);
        if (status == 405) {
            response.headers().set(HttpHeaderNames.ALLOW, ProxyHandler.ALLOWED_METHODS);
        }
        return response;
    }

    /** The refusal for a request that the guard, or Netty's decoder, could not accept. */
    static FullHttpResponse refusal(ChannelHandlerContext ctx, Throwable cause) {
        Refusal refusal = cause instanceof Refusal guarded ? guarded
                : cause instanceof TooLongHttpLineException ? new Refusal(414, "request line too long")
                : cause instanceof TooLongHttpHeaderException ? new Refusal(431, "request head too large")
                : new Refusal(400, "Bad Request");
        FullHttpResponse response = refusal(ctx, HttpVersion.HTTP_1_1, refusal.status(), RequestId.keepOrCreate(null),
                refusal.getMessage());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    /** A redirect without a body (an HTTPS-only app's plain request). */
    static FullHttpResponse redirect(ChannelHandlerContext ctx, HttpVersion version, int status, String location,
                                     Exchange exchange) {
        FullHttpResponse response = response(ctx, version, status, "");
        response.headers().set(HttpHeaderNames.LOCATION, location)
                .set(RequestId.HEADER, exchange.requestId());
        return response;
    }

    /** {@code OPTIONS *}: what the router lets through. */
    static FullHttpResponse options(ChannelHandlerContext ctx, HttpVersion version, Exchange exchange) {
        FullHttpResponse response = response(ctx, version, 200, "");
        response.headers().set(HttpHeaderNames.ALLOW, ProxyHandler.ALLOWED_METHODS)
                .set(RequestId.HEADER, exchange.requestId());
        return response;
    }

    private static FullHttpResponse response(ChannelHandlerContext ctx, HttpVersion version, int status, String body) {
        ByteBuf content = body.isEmpty() ? ctx.alloc().buffer(0, 0) : ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status), content);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }
}
