package dev.slipway.slug;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the inflated bytes and fails once they pass the limit: the zip-bomb guard. The
 * failure is flagged so that it is told apart however the tar reader wraps it.
 */
final class InflatedLimit extends FilterInputStream {
    private final long limit;
    private long count;
    private boolean exceeded;

    InflatedLimit(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Whether reading failed because the limit was passed. */
    boolean exceeded() {
        return exceeded;
    }

    private void counted(long n) throws IOException {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new IOException("inflated size limit of " + limit + " bytes exceeded");
        }
    }
}
