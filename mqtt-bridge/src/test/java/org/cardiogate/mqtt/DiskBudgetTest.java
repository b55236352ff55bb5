package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.cardiogate.mqtt.MqttPublisher.Kind;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's disk budget while the broker is unreachable: waveforms go first, then beats, then vitals, never events. */
class DiskBudgetTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final long BUDGET = 96 * 1024;
    static final long SEGMENT = 8 * 1024;

    @TempDir
    Path dir;

    @Test
    void dropsWaveformsThenBeatsThenVitalsButNeverEventsAndReportsEveryDrop() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startOnFreePort();
             TcpRelay relay = new TcpRelay(broker.port())) {
            relay.refuse(true);
            MqttSettings settings = MqttSettings.of(relay.serverUri(), "bed-budget").withOutbox(dir)
                    .withOutboxBudget(BUDGET, SEGMENT).withMaxReconnectDelay(Duration.ofMillis(500))
                    .withStatsInterval(Duration.ofMillis(200));
            try (MqttPublisher publisher = MqttPublisher.start(settings, Clock.systemUTC())) {
                PatientStream patient = new PatientStream("p-");
                String ecg = patient.ecg.streamId();
                int events = 0;
                int vitals = 0;
                // 1. waveforms overflow the budget: only waveforms are dropped
                for (int i = 0; i < 400; i++) {
                    PatientStream.Tick tick = patient.next(publisher, i, false);
                    events += tick.events();
                    vitals += tick.vitals();
                    if (i % 50 == 0) {
                        publisher.onEvent(new CardiacEvent(ecg, EventType.PAUSE, i, -1, i, "pause"));
                        events++;
                    }
                    awaitDrained(publisher);
                }
                settle(publisher);
                assertThat(publisher.droppedByBudgetCount(Kind.WAVEFORM)).isPositive();
                assertThat(publisher.droppedByBudgetCount(Kind.BEAT)).isZero();
                assertThat(publisher.droppedByBudgetCount(Kind.VITAL)).isZero();

                // 2. beats alone overflow it: waveforms are gone first, then the oldest beats
                for (int i = 0; i < 1500; i++) {
                    publisher.onBeat(new Beat(ecg, 10_000 + i, i, AamiClass.N, 0.8, 75));
                    awaitDrained(publisher);
                }
                settle(publisher);
                assertThat(publisher.pendingCount(Kind.WAVEFORM)).as("all waveforms dropped before any beat").isZero();
                assertThat(publisher.droppedByBudgetCount(Kind.BEAT)).isPositive();
                assertThat(publisher.droppedByBudgetCount(Kind.VITAL)).isZero();

                // 3. vitals and events: vitals go when nothing else is left, events never
                for (int i = 0; i < 1500; i++) {
                    publisher.onVital(new Vital(ecg, Vital.HEART_RATE, 75, "bpm", i, i, "ecg"));
                    vitals++;
                    if (i % 100 == 0) {
                        publisher.onEvent(new CardiacEvent(ecg, EventType.TACHY, i, -1, i, "tachy"));
                        events++;
                    }
                    awaitDrained(publisher);
                }
                settle(publisher);
                assertThat(publisher.pendingCount(Kind.BEAT)).isZero();
                assertThat(publisher.droppedByBudgetCount(Kind.VITAL)).isPositive();
                assertThat(publisher.droppedByBudgetCount(Kind.EVENT)).isZero();
                assertThat(publisher.pendingCount(Kind.EVENT)).isEqualTo(events);
                long droppedWaveforms = publisher.droppedByBudgetCount(Kind.WAVEFORM);
                long droppedBeats = publisher.droppedByBudgetCount(Kind.BEAT);
                long droppedVitals = publisher.droppedByBudgetCount(Kind.VITAL);

                // 4. the broker comes back: every event arrives, the drops show as seq gaps and in the stats message
                try (TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub-budget", publisher.topics().allFilter())) {
                    relay.refuse(false);
                    await().atMost(WAIT).until(() -> publisher.pendingCount() == 0);
                    int allEvents = events;
                    await().atMost(WAIT).until(() -> sub.on(publisher.topics().events(ecg)).size() == allEvents);
                    await().atMost(WAIT).until(() -> sub.on(publisher.topics().stats()).stream().anyMatch(m ->
                            m.json().get("dropped_disk").get("vitals").asLong() == droppedVitals));
                    JsonNode stats = sub.on(publisher.topics().stats()).getLast().json();
                    assertThat(stats.get("dropped_disk").get("waveforms").asLong()).isEqualTo(droppedWaveforms);
                    assertThat(stats.get("dropped_disk").get("beats").asLong()).isEqualTo(droppedBeats);
                    assertThat(stats.get("dropped_disk").get("events").asLong()).isZero();
                    assertThat(stats.get("outbox_budget_bytes").asLong()).isEqualTo(BUDGET);
                    long delivered = vitals - droppedVitals;
                    await().atMost(WAIT).until(() -> sub.on(publisher.topics().vitals(ecg)).size() == delivered);
                    assertThat(sub.on(publisher.topics().vitals(ecg)).getFirst().json().get("seq").asLong())
                            .as("the oldest vitals were dropped: the first one delivered shows the gap")
                            .isEqualTo(droppedVitals + 1);
                    assertThat(sub.on(publisher.topics().beats(ecg))).as("every beat was dropped for vitals").isEmpty();
                }
            }
        }
    }

    /** Lets the outbox thread keep up, so that nothing is dropped from the in-memory queue instead. */
    static void awaitDrained(MqttPublisher publisher) {
        while (publisher.queuedCount() > 256) {
            Thread.onSpinWait();
        }
    }

    /** Waits until everything offered is in the outbox and the counters are current. */
    static void settle(MqttPublisher publisher) {
        await().atMost(WAIT).until(() -> publisher.queuedCount() == 0);
        long journaled = publisher.journaledCount();
        await().pollDelay(Duration.ofMillis(150)).atMost(WAIT).until(() -> publisher.journaledCount() == journaled);
    }
}
