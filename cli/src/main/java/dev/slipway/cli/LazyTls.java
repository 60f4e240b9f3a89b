package dev.slipway.cli;

import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The API client's TLS, set up only when a connection first needs it. Java's HTTP client sets up
 * the JVM's default SSLContext when it is built (providers, cipher suites, every trusted CA
 * certificate): half of a client verb's start here, although the API is mostly plain HTTP on
 * loopback. This context is the default one, made on first use: an https:// API is checked
 * exactly as with the default (the client still sets host name verification on each connection).
 */
final class LazyTls {
    private LazyTls() {
    }

    /** {@code builder} with TLS that costs nothing until an https:// connection is made. */
    static HttpClient.Builder deferred(HttpClient.Builder builder) {
        // Explicit parameters, or the client asks the context for its defaults at once; empty ones
        // leave the engine's defaults in place.
        return builder.sslContext(new SSLContext(new DefaultOnFirstUse(), null, "TLS") { })
                .sslParameters(new SSLParameters());
    }

    private static final class DefaultOnFirstUse extends SSLContextSpi {
        private SSLContext context;

        private synchronized SSLContext context() {
            if (context == null) {
                try {
                    context = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("this JVM has no default TLS context", e);
                }
            }
            return context;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is initialized by the JVM");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context().getSupportedSSLParameters();
        }
    }
}
