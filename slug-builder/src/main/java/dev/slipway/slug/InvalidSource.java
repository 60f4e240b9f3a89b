package dev.slipway.slug;

/**
 * The uploaded source cannot be used: it is not a gzip-compressed tar archive, it is corrupt,
 * it is over a limit, or it holds something unsafe (an entry or symlink that leaves the source
 * directory, a hard link, a device). Also thrown for a malformed Procfile when one is parsed on
 * its own. The message is written for the developer who uploaded the source and fits an HTTP
 * 400/422 problem {@code detail}.
 */
public final class InvalidSource extends RuntimeException {
    public InvalidSource(String message) {
        super(message);
    }

    public InvalidSource(String message, Throwable cause) {
        super(message, cause);
    }
}
