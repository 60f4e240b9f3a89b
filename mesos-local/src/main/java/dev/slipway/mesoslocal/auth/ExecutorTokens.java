package dev.slipway.mesoslocal.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The agent's executor tokens, as Mesos's {@code JWTSecretGenerator} makes them and its
 * {@code JWTAuthenticator} checks them: an HS256 JWT whose claims {@code fid}, {@code eid} and
 * {@code cid} name the framework, executor and container it was made for. No expiry (Mesos sets
 * none); one carrying {@code exp} is refused once past it.
 */
public final class ExecutorTokens {
    private static final String HEADER = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private final SecretKeySpec key;
    private final Clock clock;

    public ExecutorTokens(byte[] secretKey, Clock clock) {
        this.key = new SecretKeySpec(secretKey.clone(), "HmacSHA256");
        this.clock = clock;
    }

    /** A token for one executor run. */
    public String issue(String frameworkId, String executorId, String containerId) {
        Map<String, Object> claims = new TreeMap<>();
        claims.put("cid", containerId);
        claims.put("eid", executorId);
        claims.put("fid", frameworkId);
        String signingInput = HEADER + "." + base64Url(new JsonObject(claims).encode()
                .getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + base64Url(sign(signingInput));
    }

    /**
     * The claims of a valid token, every value as a string.
     *
     * @throws InvalidToken with the reason, never the token
     */
    public Map<String, String> verify(String token) throws InvalidToken {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidToken("Expected 3 components in token, got " + parts.length);
        }
        JsonObject header = json(parts[0], "header");
        if (!"HS256".equals(header.getValue("alg"))) {
            throw new InvalidToken("Unsupported token algorithm: " + header.getValue("alg"));
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("Failed to base64url-decode token signature");
        }
        if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
            throw new InvalidToken("Token signature does not match");
        }
        JsonObject payload = json(parts[1], "payload");
        Object exp = payload.getValue("exp");
        if (exp != null) {
            if (!(exp instanceof Number expiry)) {
                throw new InvalidToken("Token 'exp' is not a number");
            }
            if (clock.instant().getEpochSecond() >= expiry.longValue()) {
                throw new InvalidToken("Token has expired");
            }
        }
        if (payload.isEmpty()) {
            throw new InvalidToken("JWT claims missing");
        }
        Map<String, String> claims = new LinkedHashMap<>();
        payload.forEach(e -> claims.put(e.getKey(), String.valueOf(e.getValue())));
        return claims;
    }

    private static JsonObject json(String part, String what) throws InvalidToken {
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            throw new InvalidToken("Failed to parse token " + what);
        }
    }

    private byte[] sign(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A token that does not verify, with Mesos's kind of reason. */
    public static final class InvalidToken extends Exception {
        InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }
}
