package dev.slipway.zk;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain (leaf first) and the leaf's private key, read from PEM. {@link #parse} and
 * {@link #check} refuse, with {@link IllegalArgumentException}s whose messages say what is wrong and
 * never carry the key: text that is not PEM, an encrypted or unsupported key, a key that is not the
 * certificate's, a certificate that does not name the domain, one expired or not yet valid.
 * RSA and EC keys; PKCS#8 ({@code BEGIN PRIVATE KEY}) or, for RSA, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}).
 */
public record TlsKeyPair(List<X509Certificate> chain, PrivateKey key) {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** The DER prefix of a PKCS#8 PrivateKeyInfo around a PKCS#1 RSA key: version 0, rsaEncryption, NULL. */
    private static final byte[] RSA_ALGORITHM = {
            0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x01, 0x01, 0x05, 0x00};
    private static final int SAN_DNS = 2;

    public TlsKeyPair {
        chain = List.copyOf(chain);
        if (chain.isEmpty() || key == null) {
            throw new IllegalArgumentException("a certificate and its private key are both needed");
        }
    }

    /** The leaf: the certificate served for the domain. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Reads a chain and a key, checking that the key is the leaf's. */
    public static TlsKeyPair parse(String chainPem, String keyPem) {
        TlsKeyPair pair = new TlsKeyPair(certificates(chainPem), privateKey(keyPem));
        if (!pair.keyMatches()) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + pair.leaf().getSubjectX500Principal().getName() + " (the first one in the PEM file must be "
                    + "the domain's own certificate, followed by its intermediates)");
        }
        return pair;
    }

    /**
     * Refuses a leaf that does not name {@code hostname} among its subject alternative names (a
     * wildcard name covers one label: {@code *.example.com} covers {@code www.example.com} and the
     * domain {@code *.example.com}, not {@code example.com} or {@code a.b.example.com}), or that is
     * not valid at {@code now}.
     */
    public void check(String hostname, Instant now) {
        X509Certificate leaf = leaf();
        if (leaf.getNotAfter().toInstant().isBefore(now)) {
            throw new IllegalArgumentException("the certificate expired on " + leaf.getNotAfter().toInstant());
        }
        if (leaf.getNotBefore().toInstant().isAfter(now)) {
            throw new IllegalArgumentException("the certificate is not valid before " + leaf.getNotBefore().toInstant());
        }
        List<String> names = dnsNames(leaf);
        if (names.stream().noneMatch(name -> covers(name, hostname))) {
            throw new IllegalArgumentException("the certificate is not for " + hostname + ": it names "
                    + (names.isEmpty() ? "no DNS names (subject alternative names)" : String.join(", ", names)));
        }
    }

    /** The DNS names of {@code certificate}'s subject alternative names, lower case. */
    public static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == SAN_DNS
                            && entry.get(1) instanceof String name) {
                        names.add(name.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the certificate's subject alternative names cannot be read", e);
        }
        return names;
    }

    /** Whether a certificate naming {@code name} is valid for {@code hostname} (RFC 6125, one-label wildcards). */
    static boolean covers(String name, String hostname) {
        if (name.equals(hostname)) {
            return true;
        }
        if (!name.startsWith("*.") || hostname.startsWith("*.")) {
            return false;
        }
        int dot = hostname.indexOf('.');
        return dot > 0 && hostname.substring(dot).equals(name.substring(1));
    }

    private boolean keyMatches() {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("a private key of type " + key.getAlgorithm()
                    + ": only RSA and EC keys are served");
        };
        if (!leaf().getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf().getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The certificates of a PEM chain, leaf first; refused as {@link #parse} refuses them. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> chain = new ArrayList<>();
        Matcher blocks = PEM.matcher(pem == null ? "" : pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (blocks.find()) {
                if (!blocks.group(1).equals("CERTIFICATE")) {
                    throw new IllegalArgumentException("the certificate file holds a " + blocks.group(1)
                            + ": only certificates (BEGIN CERTIFICATE) belong there");
                }
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(blocks, "certificate"))));
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate is not a valid X.509 certificate in PEM", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate found: expected PEM (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey privateKey(String pem) {
        Matcher block = PEM.matcher(pem == null ? "" : pem);
        if (!block.find()) {
            throw new IllegalArgumentException("no private key found: expected PEM (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der = decode(block, "private key");
        String type = block.group(1);
        if (block.find()) {
            throw new IllegalArgumentException("the key file holds more than one PEM block: give the private key alone");
        }
        return switch (type) {
            case "PRIVATE KEY" -> pkcs8(der);
            case "RSA PRIVATE KEY" -> pkcs8(wrapRsa(der));
            case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                    "the private key is encrypted: give it unencrypted (openssl pkcs8 -topk8 -nocrypt)");
            case "EC PRIVATE KEY" -> throw new IllegalArgumentException(
                    "an EC key in OpenSSL's own format: convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
            default -> throw new IllegalArgumentException("the key file holds a " + type + ", not a private key");
        };
    }

    private static PrivateKey pkcs8(byte[] der) {
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // Try the next algorithm.
            }
        }
        throw new IllegalArgumentException("the private key is not a valid RSA or EC key");
    }

    /** A PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo, which the JDK reads. */
    private static byte[] wrapRsa(byte[] pkcs1) {
        return Der.sequence(RSA_ALGORITHM, Der.tlv(0x04, pkcs1));
    }

    private static byte[] decode(Matcher block, String what) {
        try {
            return Base64.getMimeDecoder().decode(block.group(2).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not valid base64 inside its PEM markers");
        }
    }
}
