package dev.slipway.slug;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A stored slug: a gzip tar of the built app whose entries all start with {@code ./app/}.
 *
 * @param digest the sha256 of the slug file, 64 lowercase hex digits; also its name in the store
 * @param size   the slug file's size in bytes (compressed)
 */
public record Slug(String digest, long size) {
    static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    public Slug {
        Objects.requireNonNull(digest, "digest");
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("a slug digest is 64 lowercase hex digits: " + digest);
        }
        if (size < 0) {
            throw new IllegalArgumentException("a slug size is not negative: " + size);
        }
    }

    /** The slug's file name in the store and in URLs: {@code <sha256>.tgz}. */
    public String fileName() {
        return digest + ".tgz";
    }
}
