package dev.slipway.zk;

import java.time.Instant;
import java.util.Objects;

/**
 * An API token as stored: never the secret itself, only a SHA-256 of a per-token salt followed
 * by the secret (see the framework's {@code auth.Tokens}).
 *
 * @param id   the public part of the token ({@code slw_<id>_<secret>}), naming this record
 * @param salt base64url, random per token
 * @param hash base64url of SHA-256(salt || secret)
 */
public record StoredToken(String id, String user, String description, Instant createdAt, String salt, String hash) {
    public static final int MAX_DESCRIPTION = 200;

    public StoredToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
        description = description == null ? "" : description;
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
    }

    /** Leaves out the salt and hash. */
    @Override
    public String toString() {
        return "StoredToken[id=" + id + ", user=" + user + ", description=" + description + ", createdAt="
                + createdAt + "]";
    }
}
