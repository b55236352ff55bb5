package org.cardiogate.mqtt;

import java.nio.file.Path;

/**
 * TLS for an {@code ssl://} broker. The server's certificate is always verified against the CA and its host name
 * (or IP address) against the certificate's subject alternative names; there is no switch to turn either off.
 *
 * @param caFile         PEM file with the CA certificate(s) to trust, or {@code null} for the JVM's default trust store
 * @param clientCertFile PEM file with the client certificate (and optionally its chain) for mutual TLS, or
 *                       {@code null}
 * @param clientKeyFile  PEM file with the client's unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}; RSA or
 *                       EC), or {@code null}; convert others with {@code openssl pkcs8 -topk8 -nocrypt}
 */
public record TlsSettings(Path caFile, Path clientCertFile, Path clientKeyFile) {
    public TlsSettings {
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            throw new IllegalArgumentException("MQTT TLS: clientCertFile and clientKeyFile go together; got "
                    + (clientCertFile == null ? "a key without a certificate" : "a certificate without a key"));
        }
    }

    /** Server verification against a CA file, no client certificate. */
    public static TlsSettings trusting(Path caFile) {
        return new TlsSettings(caFile, null, null);
    }

    /** Adds a client certificate and key for mutual TLS. */
    public TlsSettings withClientCertificate(Path certFile, Path keyFile) {
        return new TlsSettings(caFile, certFile, keyFile);
    }

    public boolean mutual() {
        return clientCertFile != null;
    }
}
