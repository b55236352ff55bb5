package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.cardiogate.gateway.storage.EventStore;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {

    @Test
    void committedRowsSurviveClosingAndReopening(@TempDir Path dir) throws Exception {
        try (EventStore s = new EventStore(dir, 100, Clock.systemUTC())) {
            for (int i = 0; i < 50; i++) {
                s.onBeat(new Beat("ecg", i * 400L, i * 800_000_000L, AamiClass.N, i == 0 ? Double.NaN : 0.8, 75));
            }
            s.onVital(new Vital("ecg", Vital.HEART_RATE, 75, "bpm", 400, 800_000_000L, "ecg"));
            s.onEvent(new CardiacEvent("ecg", EventType.TACHY, 10, 900, 20_000_000L, "HR 160 bpm > 150 bpm"));
            await().atMost(Duration.ofSeconds(10)).until(() -> s.written() == 52);
        }
        try (EventStore s = new EventStore(dir, 100, Clock.systemUTC())) {
            assertThat(s.count("beats")).isEqualTo(50);
            assertThat(s.count("vitals")).isEqualTo(1);
            assertThat(s.count("events")).isEqualTo(1);
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking(@TempDir Path dir) throws Exception {
        try (EventStore s = new EventStore(dir, 4, Clock.systemUTC())) {
            for (int i = 0; i < 10_000; i++) {
                s.onVital(new Vital("ecg", Vital.HEART_RATE, 70, "bpm", i, i, "ecg"));
            }
            assertThat(s.dropped()).isPositive();
            await().atMost(Duration.ofSeconds(10)).until(() -> s.written() + s.dropped() == 10_000);
        }
    }
}
