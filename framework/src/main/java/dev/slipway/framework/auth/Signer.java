package dev.slipway.framework.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with the key every framework process shares (kept in ZooKeeper, see
 * {@code AccountStore.signingKey()}), for what cannot carry a user's token:
 * <ul>
 * <li>download URLs the Mesos fetcher gets (slugs, the executor jar), which cannot send headers:
 *     {@code PATH?expires=EPOCH_SECONDS&signature=HMAC(path, expires)}, valid for one to two hours
 *     (the expiry is rounded to the hour, so that a URL stays the same, and the agents' fetcher
 *     caches keep working, for an hour);
 * <li>the credential of one Mesos task, with which its executor posts the instance's log lines:
 *     {@code slwtask.<task-id>.<HMAC(task-id)>};
 * <li>the credential of a router, with which it posts its lines about requests into the apps' logs:
 *     {@code slwrouter.<router-id>.<HMAC(router-id)>} (its ZooKeeper identity cannot read the key, so
 *     the framework mints it: {@code slipway up} for its own router, an admin for the others).
 * </ul>
 * Signatures are compared in constant time. The uses sign different messages, so that one can
 * never stand for another. A credential stays valid until the signing key changes.
 */
public final class Signer {
    public static final String TASK_PREFIX = "slwtask.";
    public static final String ROUTER_PREFIX = "slwrouter.";
    private static final Pattern ROUTER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Duration VALID = Duration.ofHours(1);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    public Signer(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the signing key must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** What a download URL's signature says. */
    public enum Verdict { VALID, MISSING, EXPIRED, INVALID }

    /** {@code path} with the query that lets the fetcher download it until an hour or two from {@code now}. */
    public String signedPath(String path, Instant now) {
        long hours = now.getEpochSecond() / 3600 + 1 + VALID.toHours();
        long expires = hours * 3600;
        return path + "?expires=" + expires + "&signature=" + mac("download\n" + path + "\n" + expires);
    }

    /** Whether {@code expires} and {@code signature} (the query parameters, null when absent) let {@code path} be fetched now. */
    public Verdict verifyDownload(String path, String expires, String signature, Instant now) {
        if (expires == null || signature == null) {
            return Verdict.MISSING;
        }
        long until;
        try {
            until = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Verdict.INVALID;
        }
        if (!same(mac("download\n" + path + "\n" + until), signature)) {
            return Verdict.INVALID;
        }
        return now.getEpochSecond() < until ? Verdict.VALID : Verdict.EXPIRED;
    }

    /** The credential of task {@code taskId}, for its executor to post the instance's log lines with. */
    public String taskCredential(String taskId) {
        return TASK_PREFIX + taskId + "." + mac("task\n" + taskId);
    }

    /** The task a credential was made for, when it is one of this key's; empty otherwise. */
    public Optional<String> taskOf(String credential) {
        if (credential == null || !credential.startsWith(TASK_PREFIX)) {
            return Optional.empty();
        }
        int dot = credential.lastIndexOf('.');
        if (dot <= TASK_PREFIX.length()) {
            return Optional.empty();
        }
        String taskId = credential.substring(TASK_PREFIX.length(), dot);
        return same(mac("task\n" + taskId), credential.substring(dot + 1)) ? Optional.of(taskId) : Optional.empty();
    }

    /**
     * The credential of router {@code routerId} (lower-case letters, digits and dashes, at most 63),
     * for it to post its lines into the apps' logs.
     */
    public String routerCredential(String routerId) {
        if (!isRouterId(routerId)) {
            throw new IllegalArgumentException("a router id is 1 to 63 lower-case letters, digits and dashes, "
                    + "starting with a letter or digit, not '" + routerId + "'");
        }
        return ROUTER_PREFIX + routerId + "." + mac("router\n" + routerId);
    }

    /** The router a credential was made for, when it is one of this key's; empty otherwise. */
    public Optional<String> routerOf(String credential) {
        if (credential == null || !credential.startsWith(ROUTER_PREFIX)) {
            return Optional.empty();
        }
        int dot = credential.indexOf('.', ROUTER_PREFIX.length());
        if (dot < 0) {
            return Optional.empty();
        }
        String routerId = credential.substring(ROUTER_PREFIX.length(), dot);
        return isRouterId(routerId) && same(mac("router\n" + routerId), credential.substring(dot + 1))
                ? Optional.of(routerId) : Optional.empty();
    }

    /** Whether {@code routerId} can name a router. */
    public static boolean isRouterId(String routerId) {
        return routerId != null && ROUTER_ID.matcher(routerId).matches();
    }

    private String mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return B64.encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }

    private static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
