package org.cardiogate.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void rowsOlderThanTheirAgeLimitAreDeletedAndCounted(@TempDir Path dir) throws Exception {
        try (LocalStore s = LocalStore.open(dir, Clock.fixed(NOW.minus(Duration.ofDays(400)), ZoneOffset.UTC))) {
            s.configHistory().save("system", "gateway: {id: old}\n");
            s.audit().record("admin", "limits.change", "a year ago");
            long ancient = s.alarms().raise("ecg", "VT", AlarmStore.Priority.HIGH, 1, "old");
            s.alarms().clear(ancient);
            s.alarms().acknowledge(ancient, "nurse.ann");
            s.alarms().raise("ecg", "LEAD_OFF", AlarmStore.Priority.LOW, 2, "old but never resolved");
        }
        try (Connection c = CrashWriter.connect(dir)) {
            insertBeats(c, 300, NOW.minus(Duration.ofDays(10)));
            insertBeats(c, 200, NOW.minus(Duration.ofDays(1)));
            insertTrends(c, 50, NOW.minus(Duration.ofDays(100)));
            insertTrends(c, 7, NOW.minus(Duration.ofDays(10)));
        }

        Retention.Report r = new Retention(dir, RetentionPolicy.defaults(), CLOCK).run();

        assertThat(r.deleted()).containsEntry("beats", 300L).containsEntry("vital_trends", 50L)
                .containsEntry("audit_log", 3L) // with the audited configuration save and acknowledgement
                .containsEntry("alarms", 1L)
                .containsEntry("config_history", 0L) // the newest configuration is kept however old
                .containsEntry("events", 0L);
        assertThat(r.totalDeleted()).isEqualTo(300 + 50 + 3 + 1);
        try (Connection c = CrashWriter.connect(dir); Statement st = c.createStatement()) {
            assertThat(count(st, "beats")).isEqualTo(200);
            assertThat(count(st, "vital_trends")).isEqualTo(7);
            assertThat(count(st, "alarms")).as("the unresolved alarm stays").isEqualTo(1);
            assertThat(count(st, "config_history")).isEqualTo(1);
        }
    }

    @Test
    void overTheSizeBudgetTheOldestBeatsGoFirstUntilTheDataFits(@TempDir Path dir) throws Exception {
        StoreDatabase.open(dir, NOW).close();
        try (Connection c = CrashWriter.connect(dir)) {
            insertBeats(c, 60_000, NOW);
            insertTrends(c, 100, NOW);
        }
        long budget = 1024 * 1024;
        Retention.Report r = new Retention(dir, new RetentionPolicy(Duration.ofDays(7), Duration.ofDays(90),
                Duration.ofDays(365), budget), CLOCK).run();

        assertThat(r.dataBytesBefore()).isGreaterThan(budget);
        assertThat(r.dataBytesAfter()).isLessThanOrEqualTo(budget);
        assertThat(r.deleted().get("beats")).isPositive();
        assertThat(r.deleted().get("vital_trends")).as("trends outlive raw beats").isZero();
        assertThat(r.fileBytes()).isPositive();
        try (Connection c = CrashWriter.connect(dir); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MIN(sample), MAX(sample), COUNT(*) FROM beats")) {
            rs.next();
            assertThat(rs.getLong(2)).as("the newest beat is kept").isEqualTo(59_999);
            assertThat(rs.getLong(1)).as("the oldest went first").isEqualTo(60_000 - rs.getLong(3));
            assertThat(rs.getLong(3)).isEqualTo(60_000 - r.deleted().get("beats"));
        }
    }

    @Test
    void aPolicyWithANonPositiveAgeIsRejectedNamingIt() {
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, Duration.ofDays(1), Duration.ofDays(1), 1L << 30))
                .hasMessageContaining("rawAge");
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(1), Duration.ofDays(1), Duration.ofDays(1), 10))
                .hasMessageContaining("maxBytes");
    }

    static void insertBeats(Connection c, int n, Instant storedAt) throws Exception {
        long first;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(sample) + 1, 0) FROM beats")) {
            rs.next();
            first = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO beats (stream, sample, t_ns, beat_class, rr_s, "
                + "hr_bpm, stored_at) VALUES ('ecg', ?, ?, 'N', 0.8, 75, ?)")) {
            for (int i = 0; i < n; i++) {
                ps.setLong(1, first + i);
                ps.setLong(2, (first + i) * 800_000_000L);
                ps.setTimestamp(3, Timestamp.from(storedAt));
                ps.addBatch();
                if (i % 5000 == 4999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void insertTrends(Connection c, int n, Instant storedAt) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO vital_trends (stream, name, unit, bucket_start_ns, "
                + "bucket_s, n, mean_value, min_value, max_value, stored_at) VALUES ('ecg','heart_rate','bpm',?,10,10,75,70,80,?)")) {
            for (int i = 0; i < n; i++) {
                ps.setLong(1, i * 10_000_000_000L);
                ps.setTimestamp(2, Timestamp.from(storedAt));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static long count(Statement st, String table) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
