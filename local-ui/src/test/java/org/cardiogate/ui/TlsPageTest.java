package org.cardiogate.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a PEM certificate and key made by openssl for this test. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsPageTest {
    @TempDir
    Path dir;

    private void makeCertificate(Path cert, Path key) throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        if (!Files.isExecutable(openssl)) {
            if ("1".equals(System.getenv("CARDIOGATE_REQUIRE_TOOLS"))) {
                throw new AssertionError("/usr/bin/openssl is missing and CARDIOGATE_REQUIRE_TOOLS=1");
            }
            Assumptions.abort("skipped: /usr/bin/openssl is not installed");
        }
        Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
    }

    @Test
    void servesOverHttpsWithSecureCookiesFromAPemCertificateAndKey() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        makeCertificate(cert, key);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("page", PemTls.certificates(cert).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        List<String> notices = new CopyOnWriteArrayList<>();
        try (LiveState state = LiveState.start();
             UiServer server = UiServer.start(UiSettings.of("127.0.0.1", 0, dir.resolve("data")).withTls(cert, key),
                     state, UiHooks.NONE.withPasswordNotice((u, p, f) -> notices.add(p)));
             PageClient c = new PageClient("https://127.0.0.1:" + server.port(), ssl)) {
            assertThat(server.tls()).isTrue();
            assertThat(c.get("/health").statusCode()).isEqualTo(200);
            HttpResponse<String> login = c.login("admin", notices.get(0));
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().allValues("set-cookie")).allSatisfy(v -> assertThat(v).contains("; Secure"));
            assertThat(c.get("/api/session").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void namesTheSettingWhenTheKeyIsNotPkcs8() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        makeCertificate(cert, key);
        Path rsa = dir.resolve("rsa.pem");
        Files.writeString(rsa, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemTls.load(cert, rsa)).hasMessageContaining("ui.tlsKey")
                .hasMessageContaining("PKCS#8");
        assertThatThrownBy(() -> PemTls.load(dir.resolve("missing.pem"), key))
                .hasMessageContaining("ui.tlsCertificate");
    }
}
