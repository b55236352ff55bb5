package org.cardiogate.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS socket factory of {@link TlsSettings} from PEM files, and explains TLS failures in plain words. */
final class Tls {
    private Tls() {
    }

    /**
     * @throws IllegalArgumentException naming the file and the problem, if a file is missing or not what it should be
     */
    static SSLSocketFactory socketFactory(TlsSettings tls) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile() == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(tls.caFile(), "caFile")) {
                    trust.setCertificateEntry("ca-" + i++, ca);
                }
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (tls.mutual()) {
                List<Certificate> chain = certificates(tls.clientCertFile(), "clientCertFile");
                PrivateKey key = privateKey(tls.clientKeyFile());
                char[] transientPassword = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", key, transientPassword, chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, transientPassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("MQTT TLS context cannot be built: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file, String what) {
        byte[] bytes = read(file, what);
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("MQTT TLS " + what + " " + file + " holds no PEM certificate");
            }
            return new ArrayList<>(certs);
        } catch (CertificateException | IOException e) {
            throw new IllegalArgumentException("MQTT TLS " + what + " " + file + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem = new String(read(file, "clientKeyFile"), StandardCharsets.US_ASCII);
        if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("MQTT TLS clientKeyFile " + file + " is encrypted; give an unencrypted"
                    + " PKCS#8 key readable only by the gateway's user (openssl pkcs8 -topk8 -nocrypt)");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            String found = pem.contains("BEGIN RSA PRIVATE KEY") ? "a PKCS#1 RSA key"
                    : pem.contains("BEGIN EC PRIVATE KEY") ? "a SEC1 EC key" : "no PEM private key";
            throw new IllegalArgumentException("MQTT TLS clientKeyFile " + file + " holds " + found
                    + "; expected PKCS#8 (-----BEGIN PRIVATE KEY-----): convert with"
                    + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MQTT TLS clientKeyFile " + file + ": the PEM body is not base64", e);
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("MQTT TLS clientKeyFile " + file
                + " is not an RSA, EC or Ed25519 PKCS#8 private key");
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("MQTT TLS " + what + " " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("MQTT TLS " + what + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A one-line explanation of why a connection failed, for logs and exceptions: names certificate and host-name
     * problems instead of Paho's generic "unable to connect". Never contains credentials.
     */
    static String explain(Throwable failure) {
        return explain(failure, false);
    }

    /** @param tls whether the connection was {@code ssl://}: a reset during connect then points at the handshake */
    static String explain(Throwable failure, boolean tls) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!chain.isEmpty()) {
                chain.append(" <- ");
            }
            chain.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        String all = chain.toString();
        String hint;
        if (all.contains("No subject alternative") || all.contains("No name matching")) {
            hint = "TLS host name mismatch: the broker's certificate does not name the host in serverUri";
        } else if (all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
            hint = "TLS: the broker's certificate is not signed by a trusted CA (check caFile)";
        } else if (all.contains("certificate_required") || all.contains("bad_certificate")
                || all.contains("unknown_ca") || all.contains("certificate_unknown") || all.contains("handshake_failure")) {
            hint = "TLS: the broker refused the client certificate (missing, or not signed by a CA it trusts)";
        } else if (tls && (all.contains("Broken pipe") || all.contains("Connection reset"))) {
            hint = "TLS: the broker closed the connection during the handshake; it most likely refused the client"
                    + " certificate (missing, or not signed by a CA it trusts)";
        } else if (containsType(failure, SSLHandshakeException.class)) {
            hint = "TLS handshake failed";
        } else if (all.contains("Not authorized") || all.contains("Bad user name or password")) {
            hint = "the broker refused the credentials";
        } else {
            hint = "cannot connect";
        }
        return hint + " (" + all + ")";
    }

    private static boolean containsType(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
