package dev.slipway.slug;

/**
 * The source was received but could not be built into a slug: no Procfile, a malformed Procfile,
 * a slug over the size limit, and (with buildpacks) a failing compile step. The message is
 * written for the developer and ends the streamed build output.
 */
public final class BuildFailed extends RuntimeException {
    public BuildFailed(String message) {
        super(message);
    }

    public BuildFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
