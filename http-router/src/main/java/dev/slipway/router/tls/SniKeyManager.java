package dev.slipway.router.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks each handshake's certificate by the server name the client asked for (SNI), from the
 * certificates in force at that moment. The JDK asks once per handshake, so a certificate swapped in
 * applies to the next handshake; nothing is cached per name (Vert.x's own SNI mapping caches a TLS
 * context per server name for the listener's life, which would keep a replaced certificate, and grow
 * with every name a client makes up).
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final LiveCertificates live;

    SniKeyManager(LiveCertificates live) {
        this.live = live;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket tls ? tls.getHandshakeSession() : null);
    }

    private String choose(String keyType, SSLSession handshake) {
        ServedCertificate served = live.table().lookup(serverName(handshake));
        return served.keyType().equals(keyType) ? served.alias() : null;
    }

    private static String serverName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession extended)) {
            return null;
        }
        List<SNIServerName> names = extended.getRequestedServerNames();
        for (SNIServerName name : names) {
            if (name instanceof SNIHostName host) {
                return host.getAsciiName();
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServedCertificate served = live.table().alias(alias);
        return served == null ? null : served.chainArray();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServedCertificate served = live.table().alias(alias);
        return served == null ? null : served.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return live.table().byAlias().values().stream().filter(c -> c.keyType().equals(keyType))
                .map(ServedCertificate::alias).toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
