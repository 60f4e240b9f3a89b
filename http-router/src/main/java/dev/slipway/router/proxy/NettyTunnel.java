package dev.slipway.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * A WebSocket on the Netty data path once the app switched protocols: the 101 goes to the client,
 * both HTTP codecs leave, and from then on each connection's bytes go to the other as they come, with
 * no timeout of the router's (as on the Vert.x path). {@link NettyForward} keeps the two connections
 * and their ends; this carries the bytes. On the client's event loop only.
 */
final class NettyTunnel {
    private final ClientSide client;
    private final ChannelHandlerContext clientCtx;
    private final Channel app;

    private NettyTunnel(ClientSide client, ChannelHandlerContext clientCtx, Channel app) {
        this.client = client;
        this.clientCtx = clientCtx;
        this.app = app;
    }

    /**
     * The Upgrade a WebSocket handshake in {@code request} asks for (read before the hop-by-hop headers
     * go, to be put back for the app), or null when it is no WebSocket handshake.
     */
    static String webSocketUpgrade(HttpRequest request) {
        HttpHeaders headers = request.headers();
        boolean webSocket = request.method() == HttpMethod.GET
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        return webSocket ? headers.get(HttpHeaderNames.UPGRADE) : null;
    }

    /**
     * The app's {@code response} switched protocols on {@code app}: it goes to the client with the
     * request's id and Via, and both connections carry bytes from now on. The framing guard steps aside
     * when it sees the 101 written.
     */
    static NettyTunnel open(ClientSide client, ChannelHandlerContext clientCtx, Channel app, HttpResponse response,
                            String requestId) {
        HttpHeaders headers = response.headers();
        String via = ForwardedHeaders.via(headers);
        headers.set(RequestId.HEADER, requestId);
        headers.set(ForwardedHeaders.VIA_HEADER, via);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        ChannelPipeline pipeline = clientCtx.pipeline();
        HttpServerCodec codec = (HttpServerCodec) pipeline.get(NettyListener.CODEC);
        // The decoder goes first: what the client sent after its upgrade (held by the guard until the
        // 101 is written) must reach the app as it is; the encoder still writes the 101.
        codec.removeInboundHandler();
        clientCtx.writeAndFlush(response);
        pipeline.remove(codec);
        // Only now, after the 101: what the app sent after it comes out of its codec as it leaves.
        app.pipeline().remove("codec");
        return new NettyTunnel(client, clientCtx, app);
    }

    /** What the app sent after its 101: its bytes go to the client, the client read at its own pace. */
    void fromApp(Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            // The codec's end of the 101 answer, passed on as it leaves.
            ReferenceCountUtil.release(msg);
            return;
        }
        // No promise per write: a failed write closes the client's connection (ClientSide.exceptionCaught).
        clientCtx.write(bytes, clientCtx.voidPromise());
        if (!clientCtx.channel().isWritable()) {
            // Read again when the client can take more (NettyForward.clientWritabilityChanged).
            app.config().setAutoRead(false);
        }
    }

    /** Bytes from the client after the switch. */
    void fromClient(ByteBuf bytes) {
        if (!app.isActive()) {
            bytes.release();
            return;
        }
        app.write(bytes, app.voidPromise());
        if (!app.isWritable()) {
            client.pause(ClientSide.APP_BUSY);
        }
    }
}
