package dev.slipway.mesos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A Mesos credential: a principal and its secret, as in Mesos's {@code --credentials} file and a
 * framework's HTTP basic authentication on the v1 scheduler API. {@link #toString()} never shows
 * the secret, so a credential can be logged by mistake without harm.
 */
public record Credential(String principal, String secret) {
    public Credential {
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("a Mesos principal must not be blank");
        }
        if (principal.contains(":")) {
            // HTTP basic authentication splits "principal:secret" at the first colon.
            throw new IllegalArgumentException("the Mesos principal '" + principal + "' must not contain ':'");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the secret of Mesos principal '" + principal + "' is empty");
        }
    }

    /**
     * The principal with the secret read from {@code secretFile} (its first line, trimmed), as
     * Mesos reads {@code --credential} files.
     *
     * @throws IllegalArgumentException naming the file (never its content) when it cannot be read or is empty
     */
    public static Credential fromSecretFile(String principal, Path secretFile) {
        String content;
        try {
            content = Files.readString(secretFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Mesos secret file " + secretFile + ": " + e, e);
        }
        String secret = content.lines().findFirst().orElse("").strip();
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the Mesos secret file " + secretFile + " is empty");
        }
        return new Credential(principal, secret);
    }

    /** The value of an {@code Authorization} header for HTTP basic authentication. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((principal + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credential[principal=" + principal + ", secret=***]";
    }
}
