package dev.slipway.zk;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * One ZooKeeper identity: the {@code digest} scheme with a user and a password, as ZooKeeper's
 * {@code addauth digest user:password}. The password never appears in {@link #toString()}.
 */
public record ZkCredential(String scheme, String user, String password) {
    public static final String DIGEST = "digest";

    public ZkCredential {
        if (!DIGEST.equals(scheme)) {
            throw new IllegalArgumentException("ZooKeeper credentials use the digest scheme, not '" + scheme + "'");
        }
        if (user == null || user.isBlank() || user.contains(":") || !user.strip().equals(user)) {
            throw new IllegalArgumentException("a ZooKeeper user is a non-empty name without ':' or spaces around it");
        }
        if (password == null || password.isEmpty() || password.contains("\n") || password.contains("\r")) {
            throw new IllegalArgumentException("the ZooKeeper password of '" + user + "' is empty or spans lines");
        }
    }

    public static ZkCredential digest(String user, String password) {
        return new ZkCredential(DIGEST, user, password);
    }

    /** {@code user:password}, split at the first ':'; IllegalArgumentException without one. */
    public static ZkCredential parseDigest(String userAndPassword) {
        int colon = userAndPassword.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a ZooKeeper credential is user:password");
        }
        return digest(userAndPassword.substring(0, colon), userAndPassword.substring(colon + 1));
    }

    /** What the client sends to authenticate ({@code user:password}). */
    byte[] authBytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** The identity ACLs name: {@code digest:user:base64(sha1(user:password))}. */
    public Id id() {
        try {
            return new Id(DIGEST, DigestAuthenticationProvider.generateDigest(user + ":" + password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-1 for ZooKeeper's digest scheme", e);
        }
    }

    @Override
    public String toString() {
        return scheme + ":" + user + ":***";
    }
}
