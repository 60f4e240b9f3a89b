package dev.slipway.router.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of a connection to an app instance: hands what the app sends to the request the
 * connection serves now, and tells it when the connection closes or can take more. An app that
 * sends while no request is on the connection has broken HTTP/1.1: the connection closes.
 */
final class Upstream extends ChannelInboundHandlerAdapter {
    static final String NAME = "slipway-upstream";
    /** The request this connection serves, or null while it is idle. */
    NettyForward forward;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        NettyForward serving = forward;
        if (serving == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        serving.fromApp(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        NettyForward serving = forward;
        if (serving != null) {
            serving.appReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        NettyForward serving = forward;
        if (serving != null) {
            serving.appWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        NettyForward serving = forward;
        forward = null;
        if (serving != null) {
            serving.appClosed(ctx.channel());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && forward == null) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a broken codec: the close that follows tells the request (H13, or a cut answer).
        NettyForward serving = forward;
        if (serving != null) {
            serving.appFailed(cause);
        }
        ctx.close();
    }
}
