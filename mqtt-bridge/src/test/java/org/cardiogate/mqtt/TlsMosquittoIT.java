package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS against mosquitto with certificates made by {@code openssl} in the test: a CA, a server certificate for
 * 127.0.0.1/localhost, a client certificate; a second CA the broker does not know; a server certificate for another
 * host name on a second listener.
 */
class TlsMosquittoIT {
    static final Path OPENSSL = Path.of("/usr/bin/openssl");
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static MosquittoProcess broker;
    static int tlsPort;
    static int wrongNamePort;

    static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(OPENSSL.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    static void ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=" + name, "-keyout", name + ".key", "-out", name + ".pem",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    static void leaf(String name, String ca, String subject, String extensions) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=" + subject,
                "-keyout", name + ".key", "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", "2", "-out", name + ".pem", "-extfile", name + ".ext");
    }

    @BeforeAll
    static void makeCertificatesAndStartBroker() throws Exception {
        MosquittoProcess.requireInstalled(OPENSSL);
        ca("ca");
        ca("otherca");
        leaf("server", "ca", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
        leaf("elsewhere", "ca", "db.example.org", "subjectAltName=DNS:db.example.org\nextendedKeyUsage=serverAuth");
        leaf("client", "ca", "bed-tls", "extendedKeyUsage=clientAuth");
        leaf("rogue", "otherca", "rogue", "extendedKeyUsage=clientAuth");
        tlsPort = MosquittoProcess.freePort();
        wrongNamePort = MosquittoProcess.freePort();
        broker = MosquittoProcess.start(dir, List.of(
                "listener " + tlsPort + " 127.0.0.1", "cafile " + p("ca.pem"), "certfile " + p("server.pem"),
                "keyfile " + p("server.key"), "require_certificate true", "tls_version tlsv1.2",
                "listener " + wrongNamePort + " 127.0.0.1", "cafile " + p("ca.pem"), "certfile " + p("elsewhere.pem"),
                "keyfile " + p("elsewhere.key"), "require_certificate true"));
        await().atMost(WAIT).until(() -> MosquittoProcess.accepts(tlsPort) && MosquittoProcess.accepts(wrongNamePort));
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    static String p(String file) {
        return dir.resolve(file).toString();
    }

    static TlsSettings mutual() {
        return TlsSettings.trusting(dir.resolve("ca.pem")).withClientCertificate(dir.resolve("client.pem"),
                dir.resolve("client.key"));
    }

    static GatewaySubscriber subscriber(String uri, TlsSettings tls, List<GatewaySubscriber.Message> into)
            throws IOException {
        return GatewaySubscriber.connect(GatewaySubscriber.Options.of(uri, "tls-sub-" + System.nanoTime())
                .withCleanSession(true).withGateways(List.of("bed-tls")).withTls(tls), into::add);
    }

    @Test
    void publishesOverMutualTlsWithTheRightClientCertificate() throws Exception {
        String uri = "ssl://127.0.0.1:" + tlsPort;
        List<GatewaySubscriber.Message> received = new CopyOnWriteArrayList<>();
        try (GatewaySubscriber sub = subscriber(uri, mutual(), received);
             MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(uri, "bed-tls").withTls(mutual()),
                     Clock.systemUTC())) {
            await().atMost(WAIT).until(publisher::isConnected);
            publisher.onBeat(new Beat("ecg", 500, 1_000_000L, AamiClass.N, 0.8, 75));
            await().atMost(WAIT).until(() -> received.stream().anyMatch(m -> m.kind() == GatewaySubscriber.Kind.BEATS));
            assertThat(received.stream().filter(m -> m.kind() == GatewaySubscriber.Kind.BEATS).findFirst().orElseThrow()
                    .json().get("sample").asLong()).isEqualTo(500);
        }
    }

    @Test
    void localhostMatchesTheServerCertificateToo() throws Exception {
        try (GatewaySubscriber sub = subscriber("ssl://localhost:" + tlsPort, mutual(), new CopyOnWriteArrayList<>())) {
            assertThat(sub.isConnected()).isTrue();
        }
    }

    @Test
    void isRefusedWithoutAClientCertificate() {
        assertThatThrownBy(() -> subscriber("ssl://127.0.0.1:" + tlsPort, TlsSettings.trusting(dir.resolve("ca.pem")),
                new CopyOnWriteArrayList<>()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the broker refused the client certificate");
    }

    @Test
    void isRefusedWithAClientCertificateFromAnotherCa() {
        TlsSettings rogue = TlsSettings.trusting(dir.resolve("ca.pem")).withClientCertificate(dir.resolve("rogue.pem"),
                dir.resolve("rogue.key"));
        assertThatThrownBy(() -> subscriber("ssl://127.0.0.1:" + tlsPort, rogue, new CopyOnWriteArrayList<>()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refused the client certificate");
    }

    @Test
    void refusesABrokerWhoseCertificateIsNotFromTheTrustedCa() throws Exception {
        TlsSettings wrongCa = TlsSettings.trusting(dir.resolve("otherca.pem"))
                .withClientCertificate(dir.resolve("client.pem"), dir.resolve("client.key"));
        assertThatThrownBy(() -> subscriber("ssl://127.0.0.1:" + tlsPort, wrongCa, new CopyOnWriteArrayList<>()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not signed by a trusted CA");
        try (MqttPublisher publisher = MqttPublisher.start(
                MqttSettings.of("ssl://127.0.0.1:" + tlsPort, "bed-tls-ca").withTls(wrongCa), Clock.systemUTC())) {
            await().atMost(WAIT).until(() -> publisher.lastConnectionError() != null);
            assertThat(publisher.lastConnectionError()).contains("not signed by a trusted CA");
            assertThat(publisher.isConnected()).isFalse();
        }
    }

    @Test
    void refusesABrokerWhoseCertificateNamesAnotherHost() {
        assertThatThrownBy(() -> subscriber("ssl://127.0.0.1:" + wrongNamePort, mutual(), new CopyOnWriteArrayList<>()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("host name mismatch");
    }

    @Test
    void namesAMissingOrWrongKeyFileClearly() throws Exception {
        TlsSettings missing = TlsSettings.trusting(dir.resolve("ca.pem"))
                .withClientCertificate(dir.resolve("client.pem"), dir.resolve("nope.key"));
        assertThatThrownBy(() -> MqttPublisher.start(MqttSettings.of("ssl://127.0.0.1:" + tlsPort, "bed-k1")
                .withTls(missing), Clock.systemUTC()))
                .hasMessageContaining("clientKeyFile").hasMessageContaining("nope.key").hasMessageContaining("does not exist");
        TlsSettings certAsKey = TlsSettings.trusting(dir.resolve("ca.pem"))
                .withClientCertificate(dir.resolve("client.pem"), dir.resolve("client.pem"));
        assertThatThrownBy(() -> MqttPublisher.start(MqttSettings.of("ssl://127.0.0.1:" + tlsPort, "bed-k2")
                .withTls(certAsKey), Clock.systemUTC()))
                .hasMessageContaining("holds no PEM private key");
    }
}
