package dev.slipway.mesos;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Mesos RecordIO framing (apache/mesos docs/recordio.md): each record is its length in bytes as
 * ASCII decimal, a newline, then the record itself.
 */
public final class RecordIO {
    /** Refuse records larger than this: a corrupt length must not make us allocate gigabytes. */
    public static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;
    private static final int MAX_LENGTH_DIGITS = 10;

    private RecordIO() {
    }

    /** {@code record} framed as one RecordIO record. */
    public static byte[] frame(byte[] record) {
        byte[] header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[header.length + record.length];
        System.arraycopy(header, 0, framed, 0, header.length);
        System.arraycopy(record, 0, framed, header.length, record.length);
        return framed;
    }

    /** Reads records one at a time from a blocking stream. */
    public static final class Reader {
        private final InputStream in;

        public Reader(InputStream in) {
            this.in = in;
        }

        /** The next record, or null when the stream ended cleanly between records. */
        public byte[] next() throws IOException {
            long length = 0;
            int digits = 0;
            while (true) {
                int b = in.read();
                if (b == -1) {
                    if (digits == 0) {
                        return null;
                    }
                    throw new EOFException("stream ended inside a RecordIO length");
                }
                if (b == '\n') {
                    break;
                }
                length = appendDigit(length, b, ++digits);
            }
            if (digits == 0) {
                throw new IOException("malformed RecordIO: empty length");
            }
            byte[] record = in.readNBytes((int) length);
            if (record.length != length) {
                throw new EOFException("stream ended inside a RecordIO record (" + record.length + " of " + length + " bytes)");
            }
            return record;
        }
    }

    /**
     * Decodes records from chunks as they arrive (for non-blocking servers), whatever the chunk
     * boundaries are.
     */
    public static final class Decoder {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private long length;
        private int digits;
        private boolean inRecord;

        /** Feeds a chunk; calls {@code sink} for each record it completes. */
        public void feed(byte[] chunk, Consumer<byte[]> sink) throws IOException {
            int i = 0;
            while (i < chunk.length) {
                if (!inRecord) {
                    byte b = chunk[i++];
                    if (b != '\n') {
                        length = appendDigit(length, b, ++digits);
                    } else if (digits == 0) {
                        throw new IOException("malformed RecordIO: empty length");
                    } else {
                        inRecord = true;
                    }
                } else {
                    int take = (int) Math.min(chunk.length - i, length - buffer.size());
                    buffer.write(chunk, i, take);
                    i += take;
                }
                if (inRecord && buffer.size() == length) {
                    sink.accept(buffer.toByteArray());
                    buffer.reset();
                    length = 0;
                    digits = 0;
                    inRecord = false;
                }
            }
        }
    }

    private static long appendDigit(long length, int b, int digits) throws IOException {
        if (b < '0' || b > '9') {
            throw new IOException("malformed RecordIO: unexpected byte " + b + " in a length");
        }
        if (digits > MAX_LENGTH_DIGITS) {
            throw new IOException("malformed RecordIO: length has too many digits");
        }
        long next = length * 10 + (b - '0');
        if (next > MAX_RECORD_BYTES) {
            throw new IOException("RecordIO record of " + next + " bytes exceeds the limit of " + MAX_RECORD_BYTES);
        }
        return next;
    }
}
