package dev.slipway.zk;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user of the API: the tokens it holds act as it. An admin sees and changes everything; any
 * other user only the apps of its teams.
 */
public record User(String name, boolean admin, Instant createdAt) {
    /** Lowercase letters, digits and dashes, starting with a letter; at most 30 characters (as app names). */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");

    public User {
        Objects.requireNonNull(name, "name");
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
    }
}
