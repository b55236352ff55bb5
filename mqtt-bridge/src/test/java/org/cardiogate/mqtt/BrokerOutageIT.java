package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.cardiogate.mqtt.GatewaySubscriber.Kind;
import org.cardiogate.mqtt.GatewaySubscriber.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage: mosquitto is stopped for {@value #OUTAGE_SECONDS} s while the gateway streams, then started
 * again. Nothing may be lost, every duplicate must be detected, and the alarms raised during the outage must reach
 * the consumer before the backlog of waveforms.
 */
class BrokerOutageIT {
    /** The figure; {@code -Dcardiogate.outageSeconds} shortens it while debugging. */
    static final int OUTAGE_SECONDS = Integer.getInteger("cardiogate.outageSeconds", 30);
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    record Arrival(long index, Kind kind, long seq) {
    }

    @Test
    void losesNothingAndDeliversAlarmsBeforeTheWaveformBacklogWhenTheBrokerIsDownForThirtySeconds() throws Exception {
        MosquittoProcess.requireInstalled();
        try (MosquittoProcess broker = MosquittoProcess.start(dir, MosquittoProcess.persistentIn(dir.resolve("broker")))) {
            List<Arrival> arrivals = new CopyOnWriteArrayList<>();
            AtomicLong arrivalIndex = new AtomicLong();
            MqttSettings settings = MqttSettings.of(broker.tcpUri(), "bed-outage").withOutbox(dir.resolve("outbox"))
                    .withBackfillRate(200).withMaxReconnectDelay(Duration.ofSeconds(2));
            GatewaySubscriber.Options options = GatewaySubscriber.Options.of(broker.tcpUri(), "consumer-outage")
                    .withGateways(List.of("bed-outage"));
            Map<String, AtomicLong> produced = new ConcurrentHashMap<>();
            try (GatewaySubscriber consumer = GatewaySubscriber.connect(options, m -> {
                if (m.streamId() != null) {
                    arrivals.add(new Arrival(arrivalIndex.incrementAndGet(), m.kind(), m.seq()));
                }
            }); MqttPublisher publisher = MqttPublisher.start(settings, Clock.systemUTC())) {
                await().atMost(WAIT).until(publisher::isConnected);
                PatientStream patient = new PatientStream("p1-");
                MqttTopics topics = publisher.topics();
                Streamer streamer = new Streamer(publisher, patient, produced, topics);

                streamer.runFor(Duration.ofSeconds(3));
                broker.stop();
                long eventsBeforeOutage = produced.get(topics.events("p1-ecg")).get();
                streamer.runFor(Duration.ofSeconds(OUTAGE_SECONDS));
                assertThat(publisher.isConnected()).isFalse();
                long eventsAtRestart = produced.get(topics.events("p1-ecg")).get();
                long waveformsAtRestart = produced.get(topics.waveform("p1-ecg")).get();
                long arrivalsBeforeRestart = arrivalIndex.get();
                assertThat(publisher.pendingCount()).as("the outage's data waits in the outbox").isGreaterThan(OUTAGE_SECONDS * 50L);
                broker.start();
                streamer.runFor(Duration.ofSeconds(3));

                long total = produced.values().stream().mapToLong(AtomicLong::get).sum();
                await().atMost(WAIT).until(() -> publisher.pendingCount() == 0);
                await().atMost(WAIT).alias("consumer received everything; broker log " + broker.log()
                        + ", consumer " + consumer.isConnected() + " " + describe(consumer, produced))
                        .until(() -> uniqueReceived(consumer, produced) == total);

                assertThat(publisher.droppedCount()).isZero();
                for (Map.Entry<String, AtomicLong> e : produced.entrySet()) {
                    SeqTracker t = consumer.tracker(e.getKey());
                    assertThat(t.first()).as("first seq on %s", e.getKey()).isEqualTo(1);
                    assertThat(t.highest()).as("highest seq on %s", e.getKey()).isEqualTo(e.getValue().get());
                    assertThat(t.missingCount()).as("missing on %s", e.getKey()).isZero();
                }
                assertThat(eventsAtRestart).isGreaterThan(eventsBeforeOutage);

                // arrivals after the restart: the outage's alarms come before the backlog of waveforms
                List<Arrival> afterRestart = arrivals.stream().filter(a -> a.index() > arrivalsBeforeRestart).toList();
                long lastOutageAlarm = afterRestart.stream()
                        .filter(a -> a.kind() == Kind.EVENTS && a.seq() > eventsBeforeOutage && a.seq() <= eventsAtRestart)
                        .mapToLong(Arrival::index).max().orElseThrow();
                long firstBacklogWaveform = afterRestart.stream()
                        .filter(a -> a.kind() == Kind.WAVEFORM && a.seq() <= waveformsAtRestart)
                        .mapToLong(Arrival::index).min().orElseThrow();
                assertThat(lastOutageAlarm).as("last outage alarm arrives before the first backlog waveform")
                        .isLessThan(firstBacklogWaveform);
                System.out.printf("outage: %d messages produced, %d received, %d duplicates detected and dropped%n",
                        total, consumer.receivedCount(), consumer.duplicateCount());
            }
        }
    }

    static String describe(GatewaySubscriber consumer, Map<String, AtomicLong> produced) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, AtomicLong> e : produced.entrySet()) {
            SeqTracker t = consumer.tracker(e.getKey());
            b.append(e.getKey()).append(" produced ").append(e.getValue().get()).append(" received ")
                    .append(t == null ? "none" : t.uniqueCount() + " seq " + t.first() + ".." + t.highest() + " missing "
                            + t.describeMissing(5)).append("; ");
        }
        return b.toString();
    }

    static long uniqueReceived(GatewaySubscriber consumer, Map<String, AtomicLong> produced) {
        long n = 0;
        for (String topic : produced.keySet()) {
            SeqTracker t = consumer.tracker(topic);
            n += t == null ? 0 : t.uniqueCount();
        }
        return n;
    }

    /** Feeds a patient's stream in real time (50 ms ticks) and counts what was produced per topic. */
    static final class Streamer {
        final MqttPublisher publisher;
        final PatientStream patient;
        final Map<String, AtomicLong> produced;
        final MqttTopics topics;

        Streamer(MqttPublisher publisher, PatientStream patient, Map<String, AtomicLong> produced, MqttTopics topics) {
            this.publisher = publisher;
            this.patient = patient;
            this.produced = produced;
            this.topics = topics;
        }

        void runFor(Duration d) throws InterruptedException {
            long end = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < end) {
                PatientStream.Tick t = patient.next(publisher, System.nanoTime(), true);
                String ecg = patient.ecg.streamId();
                count(topics.waveform(ecg), 1);
                count(topics.waveform(patient.ppg.streamId()), 1);
                count(topics.waveform(patient.scg.streamId()), 1);
                count(topics.beats(ecg), t.beats());
                count(topics.vitals(ecg), t.vitals());
                count(topics.events(ecg), t.events());
                Thread.sleep(PatientStream.BLOCK_MS);
            }
        }

        private void count(String topic, int n) {
            produced.computeIfAbsent(topic, k -> new AtomicLong()).addAndGet(n);
        }
    }
}
