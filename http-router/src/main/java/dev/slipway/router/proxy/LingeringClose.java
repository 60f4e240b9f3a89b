package dev.slipway.router.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * nginx's lingering close: when the router closes a client connection, it first sends its FIN and
 * reads (and drops) what the client still sends for a moment, then closes. Closing a socket with
 * unread bytes in it makes the kernel send a reset, and a reset can destroy the answer the client
 * has not read yet: a client that pipelined bytes after a refused request would see the connection
 * reset instead of its 400.
 */
final class LingeringClose extends ChannelDuplexHandler {
    static final String NAME = "slipway-lingering-close";
    /** nginx's lingering_timeout is 5 s; a refused client gets less patience here. */
    static final long LINGER_MILLIS = 2000;

    private ChannelPromise lingering;

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (lingering != null) {
            // A close while lingering (the router stopping, say) closes now.
            ctx.close(promise);
            return;
        }
        if (!(ctx.channel() instanceof SocketChannel socket) || !socket.isActive() || socket.isOutputShutdown()
                || socket.isInputShutdown()) {
            ctx.close(promise);
            return;
        }
        lingering = promise;
        socket.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                closeOnce(ctx);
            }
        });
        ctx.executor().schedule(() -> closeOnce(ctx), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Closes for the lingering close, unless the client's close (or another) came first. */
    private void closeOnce(ChannelHandlerContext ctx) {
        if (ctx.channel().isOpen() && !lingering.isDone()) {
            ctx.close(lingering);
        } else if (ctx.channel().isOpen()) {
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering != null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (lingering != null) {
            lingering.trySuccess();
        }
        super.channelInactive(ctx);
    }
}
