package dev.slipway.zk;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One build of an app's source, as Heroku's build API shows it: pending while it runs, then
 * succeeded (with the release it made) or failed (with why). Its output is kept beside it, in a
 * file of the framework's data directory.
 *
 * @param id         a UUID
 * @param release    the release the build made; 0 unless it succeeded
 * @param error      why it failed, for people; empty unless it failed
 * @param finishedAt when it succeeded or failed; null while pending
 * @param sourceChecksum what the uploader said its source's content is ({@code sha256:<64 hex>},
 *                       as Heroku's {@code source_blob.checksum}); empty when it said nothing.
 *                       {@code slipway apply} compares it to find a source that did not change.
 */
public record Build(String id, String app, BuildStatus status, int release, String error, Instant createdAt,
                    Instant finishedAt, String sourceChecksum) {
    /** The form of {@link #sourceChecksum}: {@code sha256:} and 64 lowercase hex digits. */
    public static final Pattern SOURCE_CHECKSUM = Pattern.compile("sha256:[0-9a-f]{64}");
    /** A longer reason is cut: the build's output has the whole story. */
    public static final int MAX_ERROR_LENGTH = 2000;
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public Build {
        Objects.requireNonNull(id, "id");
        if (!UUID.matcher(id).matches()) {
            throw new IllegalArgumentException("a build id is a lowercase UUID, not '" + id + "'");
        }
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(status, "status");
        error = error == null ? "" : error;
        if (error.length() > MAX_ERROR_LENGTH) {
            error = error.substring(0, MAX_ERROR_LENGTH - 3) + "...";
        }
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        sourceChecksum = sourceChecksum == null ? "" : sourceChecksum;
        if (!sourceChecksum.isEmpty() && !SOURCE_CHECKSUM.matcher(sourceChecksum).matches()) {
            throw new IllegalArgumentException("a source checksum is sha256:<64 hex digits>");
        }
        if (status == BuildStatus.SUCCEEDED && release < 1) {
            throw new IllegalArgumentException("a succeeded build names its release");
        }
        if (status != BuildStatus.SUCCEEDED && release != 0) {
            throw new IllegalArgumentException("only a succeeded build has a release");
        }
        if (status == BuildStatus.PENDING && finishedAt != null) {
            throw new IllegalArgumentException("a pending build has not finished");
        }
    }

    /** Whether {@code text} could be a build id (so that it is safe as a node and file name). */
    public static boolean isId(String text) {
        return text != null && UUID.matcher(text).matches();
    }

    public static Build pending(String id, String app, Instant now) {
        return pending(id, app, now, "");
    }

    public static Build pending(String id, String app, Instant now, String sourceChecksum) {
        return new Build(id, app, BuildStatus.PENDING, 0, "", now, null, sourceChecksum);
    }

    public Build succeeded(int newRelease, Instant now) {
        return new Build(id, app, BuildStatus.SUCCEEDED, newRelease, "", createdAt, now, sourceChecksum);
    }

    public Build failed(String why, Instant now) {
        return new Build(id, app, BuildStatus.FAILED, 0, why == null || why.isBlank() ? "the build failed" : why,
                createdAt, now, sourceChecksum);
    }
}
