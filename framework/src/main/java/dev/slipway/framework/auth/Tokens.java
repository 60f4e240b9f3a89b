package dev.slipway.framework.auth;

import dev.slipway.zk.StoredToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API tokens: {@code slw_<id>_<secret>}, the id (16 hex digits) naming the stored record, the
 * secret 32 random bytes in base64url. Only SHA-256(salt || secret) is stored, with a random salt
 * per token; a presented secret is compared with {@link MessageDigest#isEqual} (constant time).
 */
public final class Tokens {
    public static final String PREFIX = "slw_";
    private static final Pattern FORMAT = Pattern.compile("slw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** A new token: its plaintext, shown once, and what is stored. */
    public record Minted(String plaintext, StoredToken stored) {
        @Override
        public String toString() {
            return "Minted[" + stored + "]";
        }
    }

    /** A token presented by a client, split into its parts. */
    public record Presented(String id, String secret) {
        @Override
        public String toString() {
            return "Presented[id=" + id + "]";
        }
    }

    public static Minted mint(String user, String description, Instant now) {
        String id = HexFormat.of().formatHex(random(8));
        String secret = B64.encodeToString(random(32));
        String salt = B64.encodeToString(random(16));
        return new Minted(PREFIX + id + "_" + secret,
                new StoredToken(id, user, description, now, salt, hash(salt, secret)));
    }

    /** The parts of {@code text} when it has a token's form; empty otherwise. */
    public static Optional<Presented> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var matcher = FORMAT.matcher(text);
        return matcher.matches() ? Optional.of(new Presented(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** Whether {@code presented} is the secret of {@code stored}, in constant time. */
    public static boolean matches(StoredToken stored, Presented presented) {
        if (!stored.id().equals(presented.id())) {
            return false;
        }
        byte[] expected = Base64.getUrlDecoder().decode(stored.hash());
        byte[] actual = Base64.getUrlDecoder().decode(hash(stored.salt(), presented.secret()));
        return MessageDigest.isEqual(expected, actual);
    }

    private static String hash(String salt, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Base64.getUrlDecoder().decode(salt));
            sha.update(secret.getBytes(StandardCharsets.US_ASCII));
            return B64.encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }
}
