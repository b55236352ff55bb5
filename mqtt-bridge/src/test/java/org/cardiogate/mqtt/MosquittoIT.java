package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against Debian's mosquitto 2, read back by {@code mosquitto_sub}: both are real processes. */
class MosquittoIT {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T09:00:00.500Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    Process broker;
    int port;
    final List<String> brokerLog = new CopyOnWriteArrayList<>();
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startMosquitto() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MOSQUITTO) && Files.isExecutable(MOSQUITTO_SUB),
                "mosquitto is not installed (apt-get install mosquitto mosquitto-clients): skipping the real-broker test");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "log_dest stderr",
                "log_type error", "log_type warning", "log_type notice", "log_type information", "log_type subscribe",
                ""));
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString()).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().name("mosquitto-log").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    brokerLog.add(line);
                }
            } catch (IOException ignored) {
                // the broker was stopped
            }
        });
        await().atMost(WAIT).until(() -> accepts(port) || !broker.isAlive());
        assertThat(broker.isAlive()).as("mosquitto running; its log: %s", brokerLog).isTrue();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts {@code mosquitto_sub} printing "retained-flag topic payload" per message and waits until it has subscribed. */
    Process subscribe(String clientId, String filter, int count) throws IOException {
        Process sub = new ProcessBuilder(MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-i", clientId, "-q", "1", "-t", filter, "-F", "%r %t %p", "-C", Integer.toString(count), "-W", "30")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(sub);
        await().atMost(WAIT).until(() -> brokerLog.stream().anyMatch(l -> l.endsWith(" " + clientId + " 1 " + filter)));
        return sub;
    }

    record Line(boolean retained, String topic, JsonNode json) {
    }

    static List<Line> output(Process sub) throws Exception {
        assertThat(sub.waitFor(30, TimeUnit.SECONDS)).as("mosquitto_sub received all its messages").isTrue();
        List<Line> lines = new ArrayList<>();
        for (String line : new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ", 3);
            lines.add(new Line(parts[0].equals("1"), parts[1], TestSubscriber.JSON.readTree(parts[2])));
        }
        return lines;
    }

    @Test
    void mosquittoSubReceivesTheContractFromTheRealBroker() throws Exception {
        MqttTopics topics = new MqttTopics("bed-it");
        // status, the retained stats published after it, and six data messages
        Process sub = subscribe("cg-it-all", "cardiogate/v1/#", 8);
        try (MqttPublisher publisher = MqttPublisher.start(MqttSettings.of("tcp://127.0.0.1:" + port, "bed-it"), CLOCK)) {
            await().atMost(WAIT).until(publisher::isConnected);
            publisher.onVital(new Vital("ecg", Vital.HEART_RATE, 64.0, "bpm", 72_000, 200_000_000_000L, "ecg"));
            publisher.onBeat(new Beat("ecg", 72_010, 200_027_777_780L, AamiClass.N, 0.94, 64.0));
            publisher.onBeat(new Beat("ecg", 72_348, 200_966_666_680L, AamiClass.S, 0.94, 63.8));
            publisher.onBeat(new Beat("ecg", 72_690, 201_916_666_680L, AamiClass.N, 0.95, 63.5));
            publisher.onEvent(new CardiacEvent("ecg", EventType.AF, 72_010, -1, 200_027_777_780L, "irregular RR"));
            publisher.onVital(new Vital("ecg", Vital.HEART_RATE, 63.5, "bpm", 72_690, 201_916_666_680L, "ecg"));

            List<Line> lines = output(sub);
            assertThat(lines).hasSize(8);
            assertThat(lines).filteredOn(l -> l.topic().equals(topics.stats())).hasSize(1);
            assertThat(lines.getFirst().topic()).isEqualTo(topics.status());
            assertThat(lines.getFirst().json().get("state").asText()).isEqualTo("online");

            List<Line> beats = lines.stream().filter(l -> l.topic().equals(topics.beats("ecg"))).toList();
            assertThat(beats).extracting(l -> l.json().get("seq").asLong()).containsExactly(1L, 2L, 3L);
            assertThat(beats).extracting(l -> l.json().get("class").asText()).containsExactly("N", "S", "N");
            assertThat(beats.get(1).json().get("sample").asLong()).isEqualTo(72_348);
            assertThat(beats.get(1).json().get("t_ns").asLong()).isEqualTo(200_966_666_680L);
            assertThat(beats.get(1).json().get("ts").asText()).isEqualTo("2026-11-21T09:00:00.500Z");

            List<Line> vitals = lines.stream().filter(l -> l.topic().equals(topics.vitals("ecg"))).toList();
            assertThat(vitals).extracting(l -> l.json().get("seq").asLong()).containsExactly(1L, 2L);
            assertThat(vitals).extracting(l -> l.json().get("value").asDouble()).containsExactly(64.0, 63.5);

            List<Line> events = lines.stream().filter(l -> l.topic().equals(topics.events("ecg"))).toList();
            assertThat(events).hasSize(1);
            JsonNode af = events.getFirst().json();
            assertThat(af.get("v").asInt()).isEqualTo(1);
            assertThat(af.get("gatewayId").asText()).isEqualTo("bed-it");
            assertThat(af.get("type").asText()).isEqualTo("AF");
            assertThat(af.get("seq").asLong()).isEqualTo(1);
            assertThat(af.get("ongoing").asBoolean()).isTrue();
        }
        Process late = subscribe("cg-it-late", topics.status(), 1);
        Line status = output(late).getFirst();
        assertThat(status.retained()).isTrue();
        assertThat(status.json().get("state").asText()).isEqualTo("offline");
        assertThat(status.json().get("reason").asText()).isEqualTo("shutdown");
    }

    @Test
    void mosquittoRetainsTheOfflineWillWhenTheConnectionIsCut() throws Exception {
        MqttTopics topics = new MqttTopics("bed-will");
        try (TcpRelay relay = new TcpRelay(port);
             MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(relay.serverUri(), "bed-will"), CLOCK)) {
            await().atMost(WAIT).until(publisher::isConnected);
            Process online = subscribe("cg-it-online", topics.status(), 1);
            Line birth = output(online).getFirst();
            assertThat(birth.retained()).isTrue();
            assertThat(birth.json().get("state").asText()).isEqualTo("online");

            Process live = subscribe("cg-it-live", topics.status(), 2);
            relay.refuse(true);
            relay.cut();
            await().atMost(WAIT).until(() -> !publisher.isConnected());

            Process late = subscribe("cg-it-dead", topics.status(), 1);
            Line will = output(late).getFirst();
            assertThat(will.retained()).isTrue();
            assertThat(will.json().get("state").asText()).isEqualTo("offline");
            assertThat(will.json().get("reason").asText()).isEqualTo("connection_lost");

            relay.refuse(false);
            List<Line> seenLive = output(live);
            assertThat(seenLive).extracting(l -> l.json().get("state").asText()).containsExactly("online", "offline");
            await().atMost(WAIT).until(publisher::isConnected);
        }
    }
}
