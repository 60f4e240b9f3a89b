package dev.slipway.zk;

import static dev.slipway.zk.Der.sequence;
import static dev.slipway.zk.Der.tlv;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate (EC P-256, SHA-256) with DNS names, in PEM: the router's default
 * certificate when none is configured, and the certificates of tests. Written out in DER here
 * because the JDK can read certificates but not make them.
 *
 * @param certificate the certificate, PEM
 * @param privateKey  its key, PKCS#8 PEM; left out of {@link #toString()}
 */
public record SelfSigned(String certificate, String privateKey) {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Instant UTC_TIME_END = Instant.parse("2050-01-01T00:00:00Z");

    /** A certificate for {@code dnsNames} (the first is also its common name), valid from {@code notBefore} to {@code notAfter}. */
    public static SelfSigned generate(List<String> dnsNames, Instant notBefore, Instant notAfter) {
        if (dnsNames.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one DNS name");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            byte[] algorithm = sequence(oid("1.2.840.10045.4.3.2"));
            byte[] name = sequence(tlv(0x31, sequence(oid("2.5.4.3"), tlv(0x0c, utf8(dnsNames.get(0))))));
            ByteArrayOutputStream names = new ByteArrayOutputStream();
            for (String dns : dnsNames) {
                names.writeBytes(tlv(0x82, dns.getBytes(StandardCharsets.US_ASCII)));
            }
            byte[] subjectAltName = sequence(oid("2.5.29.17"), tlv(0x04, sequence(names.toByteArray())));
            byte[] tbs = sequence(
                    tlv(0xa0, tlv(0x02, new byte[] {2})),
                    tlv(0x02, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
                    algorithm,
                    name,
                    sequence(time(notBefore), time(notAfter)),
                    name,
                    keys.getPublic().getEncoded(),
                    tlv(0xa3, sequence(subjectAltName)));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] certificate = sequence(tbs, algorithm, tlv(0x03, bits));
            return new SelfSigned(pem("CERTIFICATE", certificate), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make an EC P-256 key pair", e);
        }
    }

    /** A certificate for {@code dnsNames} valid for a year from now. */
    public static SelfSigned generate(String... dnsNames) {
        Instant now = Instant.now();
        return generate(List.of(dnsNames), now.minusSeconds(3600), now.plusSeconds(365L * 24 * 3600));
    }

    @Override
    public String toString() {
        return "SelfSigned[privateKey=(hidden)]";
    }

    private static byte[] time(Instant at) {
        return at.isBefore(UTC_TIME_END)
                ? tlv(0x17, UTC_TIME.format(at).getBytes(StandardCharsets.US_ASCII))
                : tlv(0x18, GENERALIZED_TIME.format(at).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                out.write((int) ((arc >> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
