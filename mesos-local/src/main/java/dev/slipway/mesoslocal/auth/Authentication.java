package dev.slipway.mesoslocal.auth;

import dev.slipway.mesos.Credential;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mesos-local's HTTP authentication, as the Mesos 1.11 flags set it (docs/authentication.md):
 * <ul>
 * <li>{@code frameworks}: {@code --authenticate_http_frameworks --http_framework_authenticators=basic}:
 *     every call to {@code /api/v1/scheduler} needs HTTP basic credentials of a known principal;
 * <li>{@code readonly}: {@code --authenticate_http_readonly} (and {@code --authenticate_http_readwrite})
 *     on master and agent: {@code /master/state} and the operator's {@code /master/teardown} need them too;
 * <li>{@code executorSecretKey}: {@code --authenticate_http_executors --executor_secret_key=<file>}:
 *     the agent gives each executor a JWT signed with this key, and {@code /api/v1/executor} takes
 *     nothing else; null when executors are not authenticated.
 * </ul>
 * The principals and secrets are those of {@code --credentials} (master) and
 * {@code --http_credentials} (agent), here one list for both. {@link #toString()} shows no secret.
 */
public record Authentication(Map<String, String> credentials, boolean frameworks, boolean readonly,
        byte[] executorSecretKey) {
    /** Mesos reads at least this many bytes of an HMAC key; shorter keys are easy to guess. */
    static final int MIN_KEY_BYTES = 16;

    public Authentication {
        credentials = Map.copyOf(credentials);
        if ((frameworks || readonly) && credentials.isEmpty()) {
            throw new IllegalArgumentException("mesos-local: HTTP authentication needs at least one credential");
        }
        if (executorSecretKey != null) {
            if (executorSecretKey.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("mesos-local: the executor secret key must be at least "
                        + MIN_KEY_BYTES + " bytes long, was " + executorSecretKey.length);
            }
            executorSecretKey = executorSecretKey.clone();
        }
    }

    /** Mesos's default: nothing authenticated. */
    public static Authentication none() {
        return new Authentication(Map.of(), false, false, null);
    }

    /** Everything authenticated: frameworks and read-only endpoints with {@code credentials}, executors with the key. */
    public static Authentication required(List<Credential> credentials, byte[] executorSecretKey) {
        Map<String, String> secrets = new LinkedHashMap<>();
        credentials.forEach(c -> secrets.put(c.principal(), c.secret()));
        return new Authentication(secrets, true, true, executorSecretKey);
    }

    public boolean executors() {
        return executorSecretKey != null;
    }

    @Override
    public byte[] executorSecretKey() {
        return executorSecretKey == null ? null : executorSecretKey.clone();
    }

    /**
     * Reads a Mesos credentials file ({@code --credentials}): JSON
     * {@code {"credentials": [{"principal": "p", "secret": "s"}]}}, or text with one
     * {@code principal secret} pair a line.
     *
     * @throws IllegalArgumentException naming the file and the line (never a secret) when malformed
     */
    public static List<Credential> readCredentials(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("mesos-local: cannot read the credentials file " + file + ": " + e, e);
        }
        List<Credential> credentials = new ArrayList<>();
        if (content.stripLeading().startsWith("{")) {
            try {
                JsonArray list = new JsonObject(content).getJsonArray("credentials", new JsonArray());
                for (int i = 0; i < list.size(); i++) {
                    JsonObject entry = list.getJsonObject(i);
                    credentials.add(new Credential(entry.getString("principal"), entry.getString("secret")));
                }
            } catch (DecodeException | ClassCastException e) {
                throw new IllegalArgumentException("mesos-local: the credentials file " + file
                        + " is not {\"credentials\": [{\"principal\": ..., \"secret\": ...}]}");
            }
        } else {
            List<String> lines = content.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("mesos-local: line " + (i + 1) + " of the credentials file "
                            + file + " is not 'principal secret'");
                }
                credentials.add(new Credential(parts[0], parts[1]));
            }
        }
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("mesos-local: the credentials file " + file + " holds no credential");
        }
        return credentials;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Authentication a && a.credentials.equals(credentials) && a.frameworks == frameworks
                && a.readonly == readonly && Arrays.equals(a.executorSecretKey, executorSecretKey);
    }

    @Override
    public int hashCode() {
        return credentials.keySet().hashCode() * 31 + Boolean.hashCode(frameworks) * 7 + Boolean.hashCode(readonly);
    }

    @Override
    public String toString() {
        return "Authentication[principals=" + credentials.keySet() + ", frameworks=" + frameworks + ", readonly="
                + readonly + ", executors=" + executors() + "]";
    }
}
