package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.cardiogate.gateway.storage.StoreBackup;
import org.cardiogate.gateway.storage.StoreDatabase;
import org.cardiogate.mqtt.GatewaySubscriber;
import org.cardiogate.mqtt.SeqTracker;
import org.cardiogate.signal.edf.EdfFile;
import org.cardiogate.signal.edf.EdfReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway ({@code Main run --config}, the process {@code bin/gateway run} starts) killed with SIGKILL
 * many times while it writes its database, its MQTT outbox and a continuous EDF+ recording, all in one data
 * directory, against a real mosquitto with a persistent-session consumer. After every kill: the H2 database opens,
 * every row of every table reads back, nothing stored by an earlier run is gone, and every EDF+ file left behind
 * opens. At the end a last run stops cleanly, and every MQTT topic's seq has arrived 1..highest without a hole:
 * what the outbox had journaled before each kill was delivered after the restart.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class GatewayKillIT {
    private static final int KILLS = 6;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void sigkillDuringWritesNeverCorruptsTheStoreTheOutboxOrTheRecordings(@TempDir Path dir) throws Exception {
        Path mosquitto = SharedData.tool("/usr/sbin/mosquitto");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path brokerConf = dir.resolve("mosquitto.conf");
        Files.writeString(brokerConf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Process broker = new ProcessBuilder(mosquitto.toString(), "-c", brokerConf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        children.add(broker);
        await().atMost(Duration.ofSeconds(20)).until(() -> accepts(port));

        Path data = dir.resolve("data");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, String.join("\n",
                "gateway:", "  id: bed-kill", "  dataDir: " + data,
                "source:", "  type: simulator", "  heartRateBpm: 90", "  seed: 3",
                "mqtt:", "  embeddedBroker: false", "  serverUri: tcp://127.0.0.1:" + port, "  waveforms: true",
                "ui:", "  enabled: false",
                "recording:", "  continuous: true", "  maxFileMinutes: 1", ""));

        GatewaySubscriber.Options options = GatewaySubscriber.Options.of("tcp://127.0.0.1:" + port, "kill-consumer")
                .withGateways(List.of("bed-kill"));
        Random random = new Random(22);
        long storedBefore = 0;
        java.util.concurrent.atomic.AtomicLong beatMessages = new java.util.concurrent.atomic.AtomicLong();
        try (GatewaySubscriber consumer = GatewaySubscriber.connect(options, m -> {
            if (m.kind() == GatewaySubscriber.Kind.BEATS) {
                beatMessages.incrementAndGet();
            }
        })) {
            for (int i = 0; i < KILLS; i++) {
                Child gw = start(config);
                long beatsBefore = beatMessages.get();
                // killed while beats flow: the store, the outbox and the recording are all being written
                await().atMost(WAIT).until(() -> gw.running() && beatMessages.get() > beatsBefore + 3);
                Thread.sleep(500 + random.nextInt(2500));
                gw.process.destroyForcibly();
                assertThat(gw.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(gw.process.exitValue()).as("run %d ended by SIGKILL", i).isEqualTo(137);

                long stored = checkStore(data.resolve("db"));
                assertThat(stored).as("kill %d: rows stored by earlier runs are all still there", i)
                        .isGreaterThanOrEqualTo(storedBefore);
                int files = checkRecordings(data, i);
                System.out.printf("kill %d: %d beats in the database, %d EDF+ files open, %d MQTT messages received%n",
                        i, stored, files, consumer.receivedCount());
                storedBefore = stored;
            }
            assertThat(storedBefore).as("beats stored over %d runs", KILLS).isGreaterThan(3L * KILLS);

            // a last run drains the outbox and stops cleanly (SIGTERM)
            Child last = start(config);
            await().atMost(WAIT).until(last::running);
            Thread.sleep(4000);
            last.process.destroy();
            assertThat(last.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            checkStore(data.resolve("db"));
            await().atMost(WAIT).until(() -> consumer.missingCount() == 0 && !consumer.trackers().isEmpty());
            for (Map.Entry<String, SeqTracker> e : consumer.trackers().entrySet()) {
                SeqTracker t = e.getValue();
                assertThat(t.missingCount()).as("missing seq on %s: %s", e.getKey(), t.describeMissing(5)).isZero();
                assertThat(t.uniqueCount()).as("seq %d..highest all there on %s", t.first(), e.getKey())
                        .isEqualTo(t.highest() - t.first() + 1);
            }
            System.out.printf("%d kills then a clean stop: %d topics, %d messages, %d duplicates detected and "
                            + "dropped, none missing%n", KILLS, consumer.trackers().size(), consumer.receivedCount(),
                    consumer.duplicateCount());
        }
    }

    /** Opens the database as the gateway would, reads every row of every table; returns the number of beats. */
    private static long checkStore(Path db) throws Exception {
        try (Connection c = StoreDatabase.open(db, Instant.now()); Statement st = c.createStatement()) {
            for (String table : StoreBackup.TABLES) {
                org.cardiogate.gateway.storage.StoreScan.scanEveryColumn(st, table);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM beats")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every EDF+ file under the data directory opens with the reader, with whole data records. */
    private static int checkRecordings(Path data, int kill) throws IOException {
        List<Path> edf;
        try (Stream<Path> files = Files.walk(data)) {
            edf = files.filter(p -> p.toString().endsWith(".edf")).sorted().toList();
        }
        for (Path f : edf) {
            try {
                EdfFile file = EdfReader.read(f);
                assertThat(file.signals()).as("after kill %d: %s has signals", kill, f.getFileName()).isNotEmpty();
            } catch (IOException e) {
                throw new AssertionError("after kill " + kill + ": " + f + " does not open: " + e.getMessage(), e);
            }
        }
        return edf.size();
    }

    private Child start(Path config) throws IOException {
        Child child = new Child();
        child.jvm = ChildJvm.start(List.of("--enable-native-access=ALL-UNNAMED"), Main.class,
                List.of("run", "--config", config.toString()), child::line);
        child.process = child.jvm.process;
        children.add(child.process);
        return child;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A gateway process; its whole console is kept (as the log) for a failure message. */
    private static final class Child {
        ChildJvm jvm;
        Process process;
        volatile boolean started;

        private boolean line(String line) {
            if (line.contains("running: source")) {
                started = true;
            }
            return false;
        }

        boolean running() {
            if (!process.isAlive()) {
                throw new AssertionError("the gateway exited with " + process.exitValue() + ": " + jvm.log());
            }
            return started;
        }
    }
}
