package dev.slipway.router;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * An HTTP/2 client on a plain socket that writes frames by hand, for what a client library refuses to
 * send (connection-specific headers, a content-length its DATA frames disagree with, a reset flood).
 * Header blocks are HPACK literals without indexing; the router's answers are decoded with Netty's
 * HPACK decoder.
 */
final class RawHttp2 implements AutoCloseable {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int GOAWAY = 7;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PROTOCOL_ERROR = 0x1;
    static final int REFUSED_STREAM = 0x7;
    static final int CANCEL = 0x8;
    static final int ENHANCE_YOUR_CALM = 0xb;

    /** One frame the router sent; {@code headers} decoded for a HEADERS frame. */
    record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8) | (payload[at + 3] & 0xff);
        }

        String status() {
            return headers == null ? null : String.valueOf(headers.status());
        }

        @Override
        public String toString() {
            return "Frame[type=" + type + " flags=" + flags + " stream=" + stream + " length=" + payload.length
                    + (headers != null ? " " + headers : "") + (type == RST_STREAM || type == GOAWAY ? " error=" + errorCode() : "") + "]";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private boolean closed;

    /** Connects to {@code port} and sends the connection preface with empty settings. */
    RawHttp2(int port) {
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(PREFACE);
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** A HEADERS frame (END_HEADERS) with {@code fields} as name, value, name, value... */
    RawHttp2 headers(int stream, boolean endStream, String... fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            block.write(0x00);
            string(block, fields[i]);
            string(block, fields[i + 1]);
        }
        return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block.toByteArray());
    }

    RawHttp2 data(int stream, String body, boolean endStream) {
        return frame(DATA, endStream ? END_STREAM : 0, stream, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp2 reset(int stream, int code) {
        return frame(RST_STREAM, 0, stream, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    }

    RawHttp2 frame(int type, int flags, int stream, byte[] payload) {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        frame[5] = (byte) (stream >>> 24);
        frame[6] = (byte) (stream >>> 16);
        frame[7] = (byte) (stream >>> 8);
        frame[8] = (byte) stream;
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return write(frame);
    }

    RawHttp2 write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // The router may have closed already; what it sent before says why, so reading goes on
            // until the reader itself meets the end (a loaded machine can make the write fail before
            // the GOAWAY that explains it was read).
        }
        return this;
    }

    /** Reads frames until one matches (returned), or null when the connection closed or 10 s passed first. */
    Frame awaitFrame(Predicate<Frame> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!closed && System.nanoTime() < deadline) {
            Frame frame = next(deadline);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        return null;
    }

    /** The frame that ends {@code stream}: RST_STREAM, or HEADERS or DATA with END_STREAM; or a GOAWAY. */
    Frame awaitEnd(int stream) {
        return awaitFrame(frame -> frame.type() == GOAWAY
                || (frame.stream() == stream && (frame.type() == RST_STREAM || (frame.flags() & END_STREAM) != 0)));
    }

    /** The response HEADERS of {@code stream}, or its RST_STREAM, or a GOAWAY. */
    Frame awaitAnswer(int stream) {
        return awaitFrame(frame -> frame.type() == GOAWAY
                || (frame.stream() == stream && (frame.type() == RST_STREAM || frame.type() == HEADERS)));
    }

    /** Whether the router closed the connection within {@code limit} (frames before that are read and dropped). */
    boolean closedWithin(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!closed && System.nanoTime() < deadline) {
            next(deadline);
        }
        return closed;
    }

    private Frame next(long deadline) {
        try {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            Http2Headers headers = type == HEADERS ? decoder.decodeHeaders(stream, headerBlock(flags, payload)) : null;
            return new Frame(type, flags, stream, payload, headers);
        } catch (SocketTimeoutException notYet) {
            return null;
        } catch (EOFException | java.net.SocketException end) {
            closed = true;
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Http2Exception e) {
            throw new AssertionError("the router sent a header block HPACK cannot decode", e);
        }
    }

    /** A HEADERS frame's header block: without its padding (PADDED) and its priority fields (PRIORITY). */
    private static io.netty.buffer.ByteBuf headerBlock(int flags, byte[] payload) {
        int from = 0;
        int to = payload.length;
        if ((flags & 0x8) != 0) {
            to -= payload[0] & 0xff;
            from = 1;
        }
        if ((flags & 0x20) != 0) {
            from += 5;
        }
        return Unpooled.wrappedBuffer(payload, from, to - from);
    }

    private static void string(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        integer(block, 0x00, 7, bytes.length);
        block.writeBytes(bytes);
    }

    /** RFC 7541 §5.1: an integer with an N-bit prefix. */
    private static void integer(ByteArrayOutputStream block, int first, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            block.write(first | value);
            return;
        }
        block.write(first | max);
        value -= max;
        while (value >= 128) {
            block.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        block.write(value);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
