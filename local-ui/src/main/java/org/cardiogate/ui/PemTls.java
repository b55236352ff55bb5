package org.cardiogate.ui;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.helidon.common.tls.Tls;

/** Builds the server's TLS from a PEM certificate chain and a PEM PKCS#8 private key (RSA or EC). */
final class PemTls {
    private PemTls() {
    }

    static Tls load(Path certificate, Path key) {
        List<X509Certificate> chain = certificates(certificate);
        PrivateKey privateKey = privateKey(key);
        return Tls.builder().privateKey(privateKey).privateKeyCertChain(chain).build();
    }

    static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("ui.tlsCertificate " + file + ": no PEM certificate found");
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("ui.tlsCertificate " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("ui.tlsKey " + file + ": cannot read: " + e.getMessage(), e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("ui.tlsKey " + file + ": expected an unencrypted PKCS#8 key ('" + begin
                    + "'); convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("ui.tlsKey " + file + ": not an RSA, EC or Ed25519 PKCS#8 private key");
    }
}
