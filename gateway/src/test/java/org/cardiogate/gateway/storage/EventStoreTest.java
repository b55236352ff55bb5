package org.cardiogate.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

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

    @Test
    void vitalsAreDownsampledToOneTrendPointPerTenSecondsWithMeanMinAndMax(@TempDir Path dir) throws Exception {
        // one heart-rate value per second for 35 s: buckets [0,10), [10,20), [20,30) close, [30,35) at close
        try (EventStore s = new EventStore(dir, 1000, Clock.systemUTC())) {
            for (int sec = 0; sec < 35; sec++) {
                s.onVital(new Vital("ecg", Vital.HEART_RATE, 60 + sec, "bpm", sec * 500L, sec * 1_000_000_000L, "ecg"));
                s.onVital(new Vital("ecg", "spo2", Double.NaN, "%", sec * 500L, sec * 1_000_000_000L, "ppg"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> s.written() == 70);
        }
        try (Connection c = DriverManager.getConnection(StoreDatabase.url(dir), StoreDatabase.USER, "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, bucket_start_ns, n, mean_value, min_value, max_value, unit "
                     + "FROM vital_trends ORDER BY bucket_start_ns")) {
            double[][] expected = {{0, 10, 64.5, 60, 69}, {10e9, 10, 74.5, 70, 79}, {20e9, 10, 84.5, 80, 89},
                    {30e9, 5, 92, 90, 94}};
            for (double[] e : expected) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(Vital.HEART_RATE);
                assertThat(rs.getLong(2)).isEqualTo((long) e[0]);
                assertThat(rs.getInt(3)).isEqualTo((int) e[1]);
                assertThat(rs.getDouble(4)).isEqualTo(e[2]);
                assertThat(rs.getDouble(5)).isEqualTo(e[3]);
                assertThat(rs.getDouble(6)).isEqualTo(e[4]);
                assertThat(rs.getString(7)).isEqualTo("bpm");
            }
            assertThat(rs.next()).as("no trend for an unmeasurable SpO2").isFalse();
        }
    }
}
