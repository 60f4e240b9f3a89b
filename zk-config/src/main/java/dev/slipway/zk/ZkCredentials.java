package dev.slipway.zk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Slipway's two ZooKeeper identities: {@code slipway} (the framework and {@code slipway up}: every
 * permission on Slipway's znodes) and {@code router} (reads routes, nothing else).
 *
 * <p>Kept in a file, mode 0600, one identity a line: <pre>
 * # comment
 * slipway=&lt;user&gt;:&lt;password&gt;
 * router=&lt;user&gt;:&lt;password&gt;
 * </pre> The password is the rest of the line after the user's ':' (no escapes).
 */
public record ZkCredentials(ZkCredential slipway, ZkCredential router) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public ZkCredentials {
        if (slipway == null || router == null) {
            throw new IllegalArgumentException("both the slipway and the router ZooKeeper credentials are needed");
        }
        if (slipway.user().equals(router.user())) {
            throw new IllegalArgumentException("the slipway and router ZooKeeper users must differ (both are '"
                    + slipway.user() + "')");
        }
    }

    /** New random passwords for the users {@code slipway} and {@code router}. */
    public static ZkCredentials random() {
        return new ZkCredentials(ZkCredential.digest("slipway", password()), ZkCredential.digest("router", password()));
    }

    /** The ACL policy for these identities. */
    public ZkAcls acls() {
        return new ZkAcls(slipway.id(), router.id());
    }

    /** Reads {@code file}; IllegalArgumentException naming the file and the line if it is not as documented above. */
    public static ZkCredentials load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the ZooKeeper credentials file " + file + ": " + e, e);
        }
        Map<String, ZkCredential> byRole = new HashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            String role = equals < 0 ? "" : line.substring(0, equals).strip();
            if (!role.equals("slipway") && !role.equals("router")) {
                throw new IllegalArgumentException(file + " line " + (n + 1)
                        + ": expected slipway=<user>:<password> or router=<user>:<password>");
            }
            try {
                if (byRole.put(role, ZkCredential.parseDigest(line.substring(equals + 1).strip())) != null) {
                    throw new IllegalArgumentException("'" + role + "' is given twice");
                }
            } catch (IllegalArgumentException e) {
                // The message never holds the line itself: it may hold a password.
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        try {
            return new ZkCredentials(byRole.get("slipway"), byRole.get("router"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code file}, or makes it with random passwords (mode 0600) on first start. An existing
     * file readable by others is tightened to 0600.
     */
    public static ZkCredentials loadOrCreate(Path file) {
        if (Files.exists(file)) {
            PrivateFiles.tighten(file);
            return load(file);
        }
        ZkCredentials made = random();
        try {
            made.writeNew(file);
        } catch (FileAlreadyExistsException e) {
            // Another process made it first: theirs holds.
            return load(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the ZooKeeper credentials file " + file + ": " + e, e);
        }
        return made;
    }

    private void writeNew(Path file) throws IOException {
        String text = "# Slipway's ZooKeeper credentials (digest scheme): <identity>=<user>:<password>\n"
                + "# slipway has every permission on Slipway's znodes; router reads routes only.\n"
                + "slipway=" + slipway.user() + ":" + slipway.password() + "\n"
                + "router=" + router.user() + ":" + router.password() + "\n";
        Path temporary = PrivateFiles.createFile(file.resolveSibling(file.getFileName() + ".new"));
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            // A hard link appears whole or not at all, and never replaces a file made meanwhile.
            Files.createLink(file, temporary);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "ZkCredentials[slipway=" + slipway + ", router=" + router + "]";
    }
}
