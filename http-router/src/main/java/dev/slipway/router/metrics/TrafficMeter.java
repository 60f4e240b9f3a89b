package dev.slipway.router.metrics;

import dev.slipway.router.proxy.ConnectionTap;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;

/**
 * Client connections as the metrics see them: bytes on the wire (before TLS is taken off, so what
 * the network carried), connections open, requests in flight (from a request's head until its answer
 * ended or its connection closed, whatever app, or none, it went to), TLS handshakes. Two small
 * handlers per connection; counters are {@link LongAdder}s, so event loops never wait on each other.
 */
final class TrafficMeter implements ConnectionTap {
    static final String BYTES = "slipway-metrics-bytes";
    static final String REQUESTS = "slipway-metrics-requests";

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder open = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder inFlight = new LongAdder();
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final Bytes bytes = new Bytes();

    TrafficMeter(MeterRegistry registry) {
        String prefix = RouterMetrics.PREFIX;
        FunctionCounter.builder(prefix + "received", received, LongAdder::sum).baseUnit("bytes")
                .description("Bytes received from clients (as on the wire: TLS included)").register(registry);
        FunctionCounter.builder(prefix + "sent", sent, LongAdder::sum).baseUnit("bytes")
                .description("Bytes sent to clients (as on the wire: TLS included)").register(registry);
        Gauge.builder(prefix + "client.connections", open, LongAdder::sum)
                .description("Client connections open").register(registry);
        FunctionCounter.builder(prefix + "client.connections.accepted", accepted, LongAdder::sum)
                .description("Client connections accepted").register(registry);
        Gauge.builder(prefix + "requests.in.flight", inFlight, LongAdder::sum)
                .description("Requests received whose answer has not ended yet").register(registry);
        FunctionCounter.builder(prefix + "tls.handshakes", handshakes, LongAdder::sum).tag("result", "ok")
                .description("TLS handshakes with clients, by result").register(registry);
        FunctionCounter.builder(prefix + "tls.handshakes", handshakeFailures, LongAdder::sum).tag("result", "failed")
                .description("TLS handshakes with clients, by result").register(registry);
    }

    @Override
    public void accepted(Channel channel, boolean tls, int requestsUnderWay) {
        accepted.increment();
        open.increment();
        if (tls) {
            handshakes.increment();
        }
        channel.closeFuture().addListener(closed -> open.decrement());
        channel.pipeline().addFirst(BYTES, bytes);
        if (channel.pipeline().get("httpEncoder") != null) {
            channel.pipeline().addAfter("httpEncoder", REQUESTS, new Requests(requestsUnderWay));
        }
    }

    @Override
    public void failed(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                handshakeFailures.increment();
                return;
            }
        }
    }

    private static int size(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof ByteBufHolder holder) {
            return holder.content().readableBytes();
        }
        return 0;
    }

    /** Counts bytes both ways; one for all connections. */
    @ChannelHandler.Sharable
    private final class Bytes extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add(size(msg));
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            sent.add(size(msg));
            ctx.write(msg, promise);
        }
    }

    /** One connection's requests in flight: a head in, an answer's end (or a 101) out. */
    private final class Requests extends ChannelDuplexHandler {
        private int pending;

        Requests(int underWay) {
            pending = underWay;
            inFlight.add(underWay);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                pending++;
                inFlight.increment();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean ended;
            if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // 100 Continue is not the answer; 101 is the last one HTTP gives on this connection.
                ended = response.status().code() == 101;
            } else {
                ended = msg instanceof LastHttpContent;
            }
            if (ended && pending > 0) {
                pending--;
                inFlight.decrement();
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            inFlight.add(-pending);
            pending = 0;
            super.channelInactive(ctx);
        }
    }
}
