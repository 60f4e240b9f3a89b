package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig.ClientLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads every byte a client sends before Netty's HTTP decoder does, and lets a message through only
 * once its framing is unambiguous (RFC 9112, as strict as nginx or stricter). Anything else is
 * refused (400, 501, 505, 405, 408) with {@code Connection: close}, and nothing the client sent after
 * it is ever parsed: the connection closes once the refusal is written.
 *
 * <p>A request head is held until it is complete and valid; a chunked request's head is held until
 * its first chunk-size line is valid too (unless the client waits for 100 Continue), so that a
 * request refused for its body framing never reaches an app. A framing error later in a body that is
 * already being proxied closes the connection without an answer (the app's request is aborted).
 *
 * <p>On a listener that also takes h2c the guard first reads the start of the connection: the HTTP/2
 * connection preface ({@code PRI * HTTP/2.0...}, RFC 9113 §3.4) as the first bytes hands the
 * connection to Netty's HTTP/2 codec (binary, length-delimited frames it validates itself), and the
 * guard steps aside; anything else is HTTP/1 and guarded as below, from its first byte. An
 * {@code Upgrade: h2c} request is served as HTTP/1.1 (RFC 9110 §7.8 lets a server ignore Upgrade), as
 * nginx does: the guard takes the h2c token and {@code HTTP2-Settings} out of its head, so that
 * neither Vert.x nor the app switches protocols on it.
 *
 * <p>It also keeps the client timeouts: the whole head within the header timeout, at most the body
 * timeout between two reads of a body, at most the keep-alive timeout idle between requests.
 * After a {@code 101 Switching Protocols} it steps aside. One instance per connection, on its event loop.
 */
final class FramingGuard extends ChannelInboundHandlerAdapter {
    static final String NAME = "slipway-framing";
    static final String WATCH_NAME = "slipway-responses";
    /** Set on a connection closed because its client stopped sending a request body (H28). */
    private static final AttributeKey<Boolean> CLIENT_IDLE = AttributeKey.valueOf("slipway-client-idle");
    /** The most a request head (or bytes waiting on an upgrade) may buffer here. */
    static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_CHUNK_LINE = 4096;
    private static final int MAX_TRAILERS = 8 * 1024;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final Pattern HOST = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9\\-._~%!$&'()*+,;=]*)(:[0-9]{0,5})?");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("[0-9]{1,18}");
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t \\x21-\\x7E\\x80-\\xFF])*\"";
    private static final Pattern CHUNK_EXTENSIONS = Pattern.compile(
            "(?:[ \\t]*;[ \\t]*" + TOKEN + "(?:[ \\t]*=[ \\t]*(?:" + TOKEN + "|" + QUOTED + "))?)*");

    /** RFC 9110 tchar: the characters of a method, a header name or a chunk extension name. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c : "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private enum State { PREFACE, HEAD, LENGTH_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, AWAIT_UPGRADE, PASS_THROUGH, CLOSING }

    private enum Timer { HEAD, BODY, IDLE }

    /** RFC 9113 §3.4: what an HTTP/2 client with prior knowledge sends first. */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** An empty line: the HTTP/1 decoder skips it (RFC 9112 §2.2), Vert.x's h2c detector takes it for HTTP/1. */
    private static final byte[] EMPTY_LINE = {CR, LF};

    private final ClientLimits limits;
    private ChannelHandlerContext ctx;
    private ByteBuf pending;
    private State state;
    /** How far (from the reader index) pending was already scanned for the end of a head, a line or trailers. */
    private int scanned;
    /** Where the line being scanned starts, from the reader index. */
    private int lineStart;
    private long remaining;
    /** A chunked request's head, passed on once its first chunk-size line is valid. */
    private ByteBuf heldHead;
    private boolean upgrade;
    /** Requests passed on whose response has not ended yet. */
    private int inFlight;
    private ScheduledFuture<?> timer;
    private long timerFiresAt;
    private Timer timerKind;
    private long deadline;

    /**
     * {@code h2c}: the listener takes HTTP/2 with prior knowledge, so the guard first looks for its
     * preface (and Vert.x's h2c detector comes after the guard).
     */
    FramingGuard(ClientLimits limits, boolean h2c) {
        this.limits = limits;
        this.state = h2c ? State.PREFACE : State.HEAD;
    }

    /** Requests passed on whose response has not ended yet (the metrics' count starts from it). */
    int requestsInFlight() {
        return inFlight;
    }

    /** Whether the guard closed {@code channel} because its client stopped sending a request body. */
    static boolean closedIdle(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(CLIENT_IDLE).get());
    }

    /** The outbound half: sees the responses the server writes, before they are encoded. */
    ChannelDuplexHandler responseWatch() {
        return new ChannelDuplexHandler() {
            @Override
            public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
                boolean ended = false;
                boolean switched = false;
                if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                    switched = response.status().code() == 101;
                } else {
                    ended = msg instanceof LastHttpContent;
                }
                context.write(msg, promise);
                if (switched) {
                    switchedProtocols();
                } else if (ended) {
                    responseEnded();
                }
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        arm(Timer.HEAD);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        stopTimer();
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        stopTimer();
        release();
        state = State.CLOSING;
        super.channelInactive(context);
    }

    /** Refuses the connection outright: the client address holds too many already. */
    void refuseConnection() {
        state = State.CLOSING;
        String body = "Too many connections from your address\n";
        String response = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        ctx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1))
                .addListener(written -> ctx.close());
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            context.fireChannelRead(msg);
            return;
        }
        if (state == State.PASS_THROUGH) {
            context.fireChannelRead(in);
            return;
        }
        if (state == State.CLOSING) {
            in.release();
            return;
        }
        if (state == State.PREFACE) {
            pending = pending == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(context.alloc(), pending, in);
            if (!readPreface()) {
                return;
            }
            in = Unpooled.EMPTY_BUFFER;
        }
        if (state == State.HEAD && timerKind != Timer.HEAD && in.isReadable()) {
            arm(Timer.HEAD);
        } else if (isBody()) {
            arm(Timer.BODY);
        }
        if (in != Unpooled.EMPTY_BUFFER) {
            pending = pending == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(context.alloc(), pending, in);
        }
        try {
            process();
        } catch (Refusal refusal) {
            refuse(refusal);
        }
        if (pending != null && !pending.isReadable()) {
            pending.release();
            pending = null;
        }
    }

    /**
     * Reads the start of a connection that may be h2c. False while it may still be the preface, or
     * when it was (the guard is gone then); true when it is HTTP/1, which the guard reads from now on.
     */
    private boolean readPreface() {
        int start = pending.readerIndex();
        int n = Math.min(pending.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (pending.getByte(start + i) != PREFACE[i]) {
                state = State.HEAD;
                // Vert.x's detector sees an empty line, decides HTTP/1 and sets up its decoder, which skips it.
                ctx.fireChannelRead(Unpooled.wrappedBuffer(EMPTY_LINE));
                return true;
            }
        }
        if (n == PREFACE.length) {
            http2();
        }
        return false;
    }

    /** HTTP/2 with prior knowledge: the guard leaves, its bytes go on to Vert.x's h2c detector. */
    private void http2() {
        state = State.PASS_THROUGH;
        stopTimer();
        ByteBuf preface = pending;
        pending = null;
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(preface);
    }

    private boolean isBody() {
        return state == State.LENGTH_BODY || state == State.CHUNK_SIZE || state == State.CHUNK_DATA
                || state == State.CHUNK_END || state == State.TRAILERS;
    }

    private void process() {
        while (pending != null && pending.isReadable() && state != State.CLOSING && state != State.PASS_THROUGH) {
            switch (state) {
                case HEAD -> {
                    if (!readHead()) {
                        return;
                    }
                }
                case LENGTH_BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, pending.readableBytes());
                    ctx.fireChannelRead(pending.readRetainedSlice(n));
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.LENGTH_BODY) {
                            endMessage();
                        } else {
                            state = State.CHUNK_END;
                        }
                    }
                }
                case CHUNK_END -> {
                    if (pending.readableBytes() < 2) {
                        return;
                    }
                    int at = pending.readerIndex();
                    if (pending.getByte(at) != CR || pending.getByte(at + 1) != LF) {
                        throw new Refusal(400, "chunk data not followed by CRLF");
                    }
                    ctx.fireChannelRead(pending.readRetainedSlice(2));
                    state = State.CHUNK_SIZE;
                }
                case CHUNK_SIZE -> {
                    if (!readChunkSize()) {
                        return;
                    }
                }
                case TRAILERS -> {
                    if (!readTrailers()) {
                        return;
                    }
                }
                default -> {
                    // AWAIT_UPGRADE keeps what came until the app answered; the others never get here.
                    if (pending.readableBytes() > MAX_HEAD) {
                        closeNow();
                    }
                    return;
                }
            }
        }
    }

    /** Finds, checks and passes on one request head; false when it is not all here yet. */
    private boolean readHead() {
        // RFC 9112 §2.2: empty lines before a request line are ignored (CRLF only).
        while (scanned == 0 && pending.isReadable() && pending.getByte(pending.readerIndex()) == CR) {
            if (pending.readableBytes() < 2) {
                return false;
            }
            if (pending.getByte(pending.readerIndex() + 1) != LF) {
                throw new Refusal(400, "bare CR in the request line");
            }
            pending.skipBytes(2);
        }
        if (!pending.isReadable()) {
            return false;
        }
        int start = pending.readerIndex();
        int end = pending.writerIndex();
        int headEnd = -1;
        for (int i = pending.indexOf(start + scanned, end, LF); i >= 0; i = pending.indexOf(i + 1, end, LF)) {
            if (i == start || pending.getByte(i - 1) != CR) {
                throw new Refusal(400, "bare LF in the request head");
            }
            if (i - 1 == start + lineStart && lineStart > 0) {
                headEnd = i + 1;
                break;
            }
            lineStart = i + 1 - start;
        }
        if (headEnd < 0) {
            scanned = end - start;
            if (scanned > MAX_HEAD) {
                throw lineStart == 0 ? new Refusal(414, "request line too long") : new Refusal(431, "request head too large");
            }
            return false;
        }
        int length = headEnd - start;
        scanned = 0;
        lineStart = 0;
        if (length > MAX_HEAD) {
            throw new Refusal(431, "request head too large");
        }
        Head head = Head.parse(pending.toString(start, length, StandardCharsets.ISO_8859_1));
        cancelTimer();
        ByteBuf bytes;
        if (head.withoutH2c != null) {
            pending.skipBytes(length);
            bytes = Unpooled.copiedBuffer(head.withoutH2c, StandardCharsets.ISO_8859_1);
        } else {
            bytes = pending.readRetainedSlice(length);
        }
        inFlight++;
        upgrade = head.upgrade;
        if (head.chunked) {
            if (head.expectsContinue) {
                ctx.fireChannelRead(bytes);
            } else {
                heldHead = bytes;
            }
            state = State.CHUNK_SIZE;
            arm(Timer.BODY);
        } else if (head.contentLength > 0) {
            ctx.fireChannelRead(bytes);
            remaining = head.contentLength;
            state = State.LENGTH_BODY;
            arm(Timer.BODY);
        } else {
            ctx.fireChannelRead(bytes);
            endMessage();
        }
        return true;
    }

    private boolean readChunkSize() {
        int start = pending.readerIndex();
        int lf = pending.indexOf(start + scanned, pending.writerIndex(), LF);
        if (lf < 0) {
            scanned = pending.readableBytes();
            if (scanned > MAX_CHUNK_LINE) {
                throw new Refusal(400, "chunk-size line too long");
            }
            return false;
        }
        scanned = 0;
        if (lf == start || pending.getByte(lf - 1) != CR) {
            throw new Refusal(400, "bare LF in a chunk-size line");
        }
        String line = pending.toString(start, lf - 1 - start, StandardCharsets.ISO_8859_1);
        int digits = 0;
        while (digits < line.length() && Character.digit(line.charAt(digits), 16) >= 0) {
            digits++;
        }
        if (digits == 0) {
            throw new Refusal(400, "invalid chunk size");
        }
        String hex = line.substring(0, digits).replaceFirst("^0+(?=.)", "");
        if (hex.length() > 16 || (hex.length() == 16 && Character.digit(hex.charAt(0), 16) >= 8)) {
            throw new Refusal(400, "chunk size wider than 63 bits");
        }
        if (!CHUNK_EXTENSIONS.matcher(line.substring(digits)).matches()) {
            throw new Refusal(400, "invalid chunk extension");
        }
        long size = Long.parseUnsignedLong(hex, 16);
        if (heldHead != null) {
            ByteBuf head = heldHead;
            heldHead = null;
            ctx.fireChannelRead(head);
        }
        ctx.fireChannelRead(pending.readRetainedSlice(lf + 1 - start));
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    private boolean readTrailers() {
        int start = pending.readerIndex();
        int end = pending.writerIndex();
        for (int i = pending.indexOf(start + scanned, end, LF); i >= 0; i = pending.indexOf(i + 1, end, LF)) {
            if (i == start || pending.getByte(i - 1) != CR) {
                throw new Refusal(400, "bare LF in the trailers");
            }
            int from = start + lineStart;
            if (i - 1 == from) {
                scanned = 0;
                lineStart = 0;
                ctx.fireChannelRead(pending.readRetainedSlice(i + 1 - start));
                endMessage();
                return true;
            }
            Head.field(pending.toString(from, i - 1 - from, StandardCharsets.ISO_8859_1));
            lineStart = i + 1 - start;
        }
        scanned = end - start;
        if (scanned > MAX_TRAILERS) {
            throw new Refusal(400, "trailers too large");
        }
        return false;
    }

    private void endMessage() {
        if (state == State.PASS_THROUGH || state == State.CLOSING) {
            // Answered (101, or a refusal) while the message was being passed on.
            return;
        }
        cancelTimer();
        scanned = 0;
        lineStart = 0;
        if (upgrade) {
            upgrade = false;
            if (inFlight > 0) {
                // Nothing more is read until the app says whether it switches protocols.
                state = State.AWAIT_UPGRADE;
                return;
            }
            // Already answered without switching (the router's own 404 or 503, given at once).
        }
        state = State.HEAD;
        if (pending != null && pending.isReadable()) {
            arm(Timer.HEAD);
        } else if (inFlight == 0) {
            // The app answered before the body ended.
            arm(Timer.IDLE);
        }
    }

    private void responseEnded() {
        if (inFlight > 0) {
            inFlight--;
        }
        if (state == State.AWAIT_UPGRADE) {
            state = State.HEAD;
            try {
                process();
            } catch (Refusal refusal) {
                refuse(refusal);
            }
            if (pending != null && pending.isReadable()) {
                arm(Timer.HEAD);
                ctx.fireChannelReadComplete();
            }
        }
        if (state == State.HEAD && inFlight == 0 && (pending == null || !pending.isReadable())) {
            arm(Timer.IDLE);
        }
    }

    private void switchedProtocols() {
        if (inFlight > 0) {
            inFlight--;
        }
        state = State.PASS_THROUGH;
        stopTimer();
        ByteBuf early = pending;
        pending = null;
        ctx.pipeline().remove(this);
        if (early != null) {
            if (early.isReadable()) {
                ctx.fireChannelRead(early);
                ctx.fireChannelReadComplete();
            } else {
                early.release();
            }
        }
    }

    /**
     * Answers with the refusal's status and closes. A message whose head already went on to the app
     * cannot be answered in order any more: the connection just closes (the app's request is aborted).
     */
    private void refuse(Refusal refusal) {
        boolean headSent = isBody() && heldHead == null;
        release();
        cancelTimer();
        if (headSent) {
            closeNow();
            return;
        }
        state = State.CLOSING;
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        request.setDecoderResult(DecoderResult.failure(refusal));
        ctx.fireChannelRead(request);
    }

    private void closeNow() {
        state = State.CLOSING;
        stopTimer();
        release();
        ctx.close();
    }

    private void release() {
        if (pending != null) {
            ReferenceCountUtil.safeRelease(pending);
            pending = null;
        }
        if (heldHead != null) {
            ReferenceCountUtil.safeRelease(heldHead);
            heldHead = null;
        }
    }

    /**
     * Starts {@code kind}'s timeout from now. Lazily: one scheduled task per connection, moved only
     * when it would fire too late, so that a request costs no scheduling in the steady state.
     */
    private void arm(Timer kind) {
        long millis = switch (kind) {
            case HEAD -> limits.headerTimeout().toMillis();
            case BODY -> limits.bodyTimeout().toMillis();
            case IDLE -> limits.keepAliveTimeout().toMillis();
        };
        long now = System.nanoTime();
        timerKind = kind;
        deadline = now + TimeUnit.MILLISECONDS.toNanos(millis);
        if (timer == null || timerFiresAt - deadline > 0) {
            if (timer != null) {
                timer.cancel(false);
            }
            schedule(now, deadline - now);
        }
    }

    private void schedule(long now, long delayNanos) {
        timerFiresAt = now + delayNanos;
        timer = ctx.executor().schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** No timeout runs (the task, if any, finds nothing to do when it fires). */
    private void cancelTimer() {
        timerKind = null;
    }

    private void stopTimer() {
        timerKind = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void tick() {
        timer = null;
        if (timerKind == null || state == State.CLOSING || state == State.PASS_THROUGH) {
            return;
        }
        long now = System.nanoTime();
        if (deadline - now > 0) {
            schedule(now, deadline - now);
            return;
        }
        expired(timerKind);
    }

    private void expired(Timer kind) {
        timerKind = null;
        switch (kind) {
            case HEAD -> {
                if (state == State.PREFACE) {
                    // Not one whole request head, nor a preface: nothing to answer in either protocol.
                    closeNow();
                    return;
                }
                boolean partial = pending != null && pending.isReadable();
                if (inFlight > 0) {
                    // A request is still with the app: its answer comes first; the next head's time
                    // runs again (a partial pipelined head), or never started (a stray CRLF).
                    if (partial) {
                        arm(Timer.HEAD);
                    }
                } else if (partial && state == State.HEAD) {
                    // Part of a head came: say why the connection closes.
                    refuse(new Refusal(408, "the request head did not arrive within "
                            + limits.headerTimeout().toMillis() + " ms"));
                    ctx.fireChannelReadComplete();
                } else {
                    closeNow();
                }
            }
            case BODY -> {
                if (!ctx.channel().config().isAutoRead()) {
                    // The router paused reading itself (the app takes the body slowly): not the client's pause.
                    arm(Timer.BODY);
                } else {
                    // Heroku's H28 in the request's router line, not H27: the client stalled, the router closed.
                    ctx.channel().attr(CLIENT_IDLE).set(Boolean.TRUE);
                    closeNow();
                }
            }
            case IDLE -> closeNow();
        }
    }

    /** What the router needs to know of a valid request head. */
    private static final class Head {
        boolean chunked;
        long contentLength;
        boolean upgrade;
        boolean expectsContinue;
        /** The head without {@code Upgrade: h2c} and {@code HTTP2-Settings}, or null when it had neither. */
        String withoutH2c;

        static Head parse(String text) {
            // text ends with CRLF CRLF; its lines are cut at CRLF by hand (a two-character split is a regex each time).
            int end = text.length() - 4;
            int lineEnd = text.indexOf("\r\n");
            if (lineEnd < 0 || lineEnd > end) {
                lineEnd = end;
            }
            String requestLine = text.substring(0, lineEnd);
            if (requestLine.indexOf('\r') >= 0) {
                throw new Refusal(400, "bare CR in the request line");
            }
            String[] parts = requestLine.split(" ", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new Refusal(400, "malformed request line");
            }
            String method = parts[0];
            String target = parts[1];
            String version = parts[2];
            if (!isToken(method)) {
                throw new Refusal(400, "invalid method");
            }
            if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
                if (VERSION.matcher(version).matches()) {
                    throw new Refusal(505, "HTTP version not supported");
                }
                throw new Refusal(400, "invalid HTTP version");
            }
            for (int i = 0; i < target.length(); i++) {
                char c = target.charAt(i);
                if (c <= 0x20 || c == 0x7F) {
                    throw new Refusal(400, "invalid request target");
                }
            }
            if (method.equals("CONNECT")) {
                throw new Refusal(405, "CONNECT is not supported");
            }
            if (target.equals("*")) {
                if (!method.equals("OPTIONS")) {
                    throw new Refusal(400, "* is a target for OPTIONS only");
                }
            } else if (!target.startsWith("/") && AbsoluteTarget.parse(target) == null) {
                // Refused here, not when the request is routed: by then the decoder may hold the next
                // pipelined request, and Vert.x could dispatch it before the connection closes.
                throw new Refusal(400, "invalid request target");
            }
            boolean http11 = version.equals("HTTP/1.1");
            int hosts = 0;
            String host = null;
            int lengths = 0;
            String length = null;
            int encodings = 0;
            String encoding = null;
            Head head = new Head();
            // An Upgrade: h2c and its HTTP2-Settings are dropped: the connection stays HTTP/1.1 (as nginx does).
            StringBuilder kept = null;
            for (int from = lineEnd + 2; from <= end && lineEnd < end; from = lineEnd + 2) {
                lineEnd = text.indexOf("\r\n", from);
                if (lineEnd < 0 || lineEnd > end) {
                    lineEnd = end;
                }
                String line = text.substring(from, lineEnd);
                String[] field = field(line);
                String name = field[0];
                if ((name.equalsIgnoreCase("upgrade") && namesH2c(field[1])) || name.equalsIgnoreCase("http2-settings")) {
                    if (kept == null) {
                        kept = new StringBuilder(text.length()).append(text, 0, from);
                    }
                    continue;
                }
                if (kept != null) {
                    kept.append(line).append("\r\n");
                }
                if (name.equalsIgnoreCase("host")) {
                    hosts++;
                    host = field[1];
                } else if (name.equalsIgnoreCase("content-length")) {
                    lengths++;
                    length = field[1];
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    encodings++;
                    encoding = field[1];
                } else if (name.equalsIgnoreCase("upgrade")) {
                    head.upgrade = true;
                } else if (name.equalsIgnoreCase("expect")) {
                    head.expectsContinue = field[1].equalsIgnoreCase("100-continue");
                }
            }
            if (kept != null) {
                head.withoutH2c = kept.append("\r\n").toString();
            }
            if (hosts > 1) {
                throw new Refusal(400, "more than one Host header");
            }
            if (hosts == 0 && http11) {
                throw new Refusal(400, "HTTP/1.1 request without Host");
            }
            if (host != null && !HOST.matcher(host).matches()) {
                throw new Refusal(400, "invalid Host header");
            }
            if (encodings > 0) {
                if (!http11) {
                    throw new Refusal(400, "Transfer-Encoding in an HTTP/1.0 request");
                }
                if (lengths > 0) {
                    throw new Refusal(400, "both Content-Length and Transfer-Encoding");
                }
                if (encodings > 1) {
                    throw new Refusal(400, "more than one Transfer-Encoding header");
                }
                if (!encoding.equalsIgnoreCase("chunked")) {
                    throw new Refusal(501, "Transfer-Encoding other than chunked");
                }
                head.chunked = true;
            } else if (lengths > 0) {
                if (lengths > 1) {
                    throw new Refusal(400, "more than one Content-Length header");
                }
                if (!CONTENT_LENGTH.matcher(length).matches()) {
                    throw new Refusal(400, "invalid Content-Length");
                }
                head.contentLength = Long.parseLong(length);
            }
            return head;
        }

        /** Whether an Upgrade value offers h2c among its protocols. */
        private static boolean namesH2c(String value) {
            for (String protocol : value.split(",", -1)) {
                if (protocol.strip().equalsIgnoreCase("h2c")) {
                    return true;
                }
            }
            return false;
        }

        /** A header or trailer line as {name, value}, or a refusal. */
        static String[] field(String line) {
            if (line.isEmpty()) {
                throw new Refusal(400, "empty header line");
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new Refusal(400, "folded header line (obs-fold)");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Refusal(400, "header line without a name and a colon");
            }
            String name = line.substring(0, colon);
            if (!isToken(name)) {
                char last = name.charAt(name.length() - 1);
                throw new Refusal(400, last == ' ' || last == '\t' ? "whitespace before the colon of a header" : "invalid header name");
            }
            int from = colon + 1;
            int to = line.length();
            while (from < to && (line.charAt(from) == ' ' || line.charAt(from) == '\t')) {
                from++;
            }
            while (to > from && (line.charAt(to - 1) == ' ' || line.charAt(to - 1) == '\t')) {
                to--;
            }
            for (int i = from; i < to; i++) {
                char c = line.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    throw new Refusal(400, "control character in a header value");
                }
            }
            return new String[] {name, line.substring(from, to)};
        }
    }
}
