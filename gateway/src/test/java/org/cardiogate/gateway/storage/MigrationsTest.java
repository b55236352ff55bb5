package org.cardiogate.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    @Test
    void versionsAreConsecutiveFromOne() {
        for (int i = 0; i < Migrations.ALL.size(); i++) {
            assertThat(Migrations.ALL.get(i).version()).isEqualTo(i + 1);
        }
    }

    @Test
    void aNewDatabaseGetsEveryMigrationRecordedInOrder(@TempDir Path dir) throws Exception {
        try (Connection c = StoreDatabase.open(dir, T0); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, description FROM schema_version ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
                assertThat(rs.getString(2)).isNotBlank();
            }
            assertThat(versions).containsExactly(1, 2);
            assertThat(Migrations.currentVersion(c)).isEqualTo(Migrations.latestVersion());
        }
    }

    @Test
    void reopeningAppliesNothingAgain(@TempDir Path dir) throws Exception {
        StoreDatabase.open(dir, T0).close();
        try (Connection c = DriverManager.getConnection(StoreDatabase.url(dir), StoreDatabase.USER, "")) {
            assertThat(Migrations.apply(c, "test", T0)).isZero();
        }
    }

    @Test
    void aVersionOneDatabaseFromTheFirstReleaseIsUpgradedKeepingItsRows(@TempDir Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection(StoreDatabase.url(dir), StoreDatabase.USER, "");
             Statement st = c.createStatement()) {
            // the schema exactly as the first EventStore created it
            st.execute("CREATE TABLE schema_version (version INT NOT NULL)");
            for (String sql : Migrations.ALL.get(0).statements()) {
                st.execute(sql);
            }
            st.execute("INSERT INTO schema_version VALUES (1)");
            st.execute("INSERT INTO beats (stream, sample, t_ns, beat_class, stored_at) "
                    + "VALUES ('ecg', 400, 1, 'N', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00Z')");
        }
        try (Connection c = StoreDatabase.open(dir, T0); Statement st = c.createStatement()) {
            assertThat(Migrations.currentVersion(c)).isEqualTo(2);
            try (ResultSet rs = st.executeQuery("SELECT sample FROM beats")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(400);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM alarms")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void aDatabaseNewerThanTheCodeIsRefusedUntouched(@TempDir Path dir) throws Exception {
        StoreDatabase.open(dir, T0).close();
        try (Connection c = DriverManager.getConnection(StoreDatabase.url(dir), StoreDatabase.USER, "");
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')");
        }
        assertThatThrownBy(() -> StoreDatabase.open(dir, T0))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("newer than this gateway")
                .hasMessageContaining("cardiogate.mv.db");
        try (Connection c = DriverManager.getConnection(StoreDatabase.url(dir), StoreDatabase.USER, "")) {
            assertThat(Migrations.currentVersion(c)).isEqualTo(99);
        }
    }
}
