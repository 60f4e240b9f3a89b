package dev.slipway.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * h2c with prior knowledge on the Netty data path's plain listener: right behind the framing guard,
 * which steps aside for the HTTP/2 connection preface (and only for it), it sees the connection's
 * first bytes. The preface turns the connection into an HTTP/2 one: the HTTP/1.1 handlers behind it
 * leave and {@code http2} builds the HTTP/2 ones. Anything else is HTTP/1.1, and this handler leaves.
 */
final class PriorKnowledge extends ChannelInboundHandlerAdapter {
    static final String NAME = "slipway-h2c";

    private final Consumer<Channel> http2;

    PriorKnowledge(Consumer<Channel> http2) {
        this.http2 = http2;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ChannelPipeline pipeline = ctx.pipeline();
        if (msg instanceof ByteBuf bytes && isPreface(bytes)) {
            List<String> names = pipeline.names();
            for (String name : names.subList(names.indexOf(ctx.name()) + 1, names.size())) {
                if (pipeline.context(name) != null) {
                    pipeline.remove(name);
                }
            }
            http2.accept(ctx.channel());
        }
        pipeline.remove(this);
        // From this (removed) handler's place: to the HTTP/2 codec, or to the HTTP/1.1 one.
        ctx.fireChannelRead(msg);
    }

    /** The guard passes on the whole preface at once, or something else first (an empty line for HTTP/1.1). */
    private static boolean isPreface(ByteBuf bytes) {
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        try {
            return bytes.readableBytes() >= preface.readableBytes()
                    && ByteBufUtil.equals(bytes, bytes.readerIndex(), preface, 0, preface.readableBytes());
        } finally {
            preface.release();
        }
    }
}
