package org.cardiogate.gateway.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The schema of the local store as an ordered list of {@link Migration}s. A database is brought up to
 * {@link #latestVersion()} by applying, in order, each migration newer than the highest version recorded in
 * {@code schema_version}; a database whose recorded version is newer than this code is refused untouched, so an
 * older gateway (after a downgrade) never writes into a schema it does not know.
 *
 * <p>Add a migration by appending to {@link #ALL}; never edit one that has shipped.
 */
public final class Migrations {
    private static final String TS = "TIMESTAMP WITH TIME ZONE";

    /** Every migration, in version order (1, 2, ...). */
    public static final List<Migration> ALL = List.of(
            new Migration(1, "beats, raw vitals and events", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS beats (id BIGINT AUTO_INCREMENT PRIMARY KEY, stream VARCHAR(64) NOT NULL,
                      sample BIGINT NOT NULL, t_ns BIGINT NOT NULL, beat_class CHAR(1) NOT NULL,
                      rr_s DOUBLE, hr_bpm DOUBLE, stored_at %s NOT NULL)""".formatted(TS),
                    """
                    CREATE TABLE IF NOT EXISTS vitals (id BIGINT AUTO_INCREMENT PRIMARY KEY, stream VARCHAR(64) NOT NULL,
                      name VARCHAR(32) NOT NULL, vital_value DOUBLE, unit VARCHAR(16), sample BIGINT NOT NULL,
                      t_ns BIGINT NOT NULL, source VARCHAR(32), stored_at %s NOT NULL)""".formatted(TS),
                    """
                    CREATE TABLE IF NOT EXISTS events (id BIGINT AUTO_INCREMENT PRIMARY KEY, stream VARCHAR(64) NOT NULL,
                      event_type VARCHAR(16) NOT NULL, onset_sample BIGINT NOT NULL, offset_sample BIGINT NOT NULL,
                      t_ns BIGINT NOT NULL, detail VARCHAR(256), stored_at %s NOT NULL)""".formatted(TS))),
            new Migration(2, "alarms, vital trends, configuration history, audit log; retention indexes", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS alarms (id BIGINT AUTO_INCREMENT PRIMARY KEY, stream VARCHAR(64) NOT NULL,
                      alarm_type VARCHAR(32) NOT NULL, priority VARCHAR(8) NOT NULL, state VARCHAR(16) NOT NULL,
                      detail VARCHAR(256), onset_sample BIGINT NOT NULL, raised_at %1$s NOT NULL,
                      ack_user VARCHAR(64), ack_at %1$s, cleared_at %1$s)""".formatted(TS),
                    "CREATE INDEX IF NOT EXISTS alarms_state ON alarms (state)",
                    """
                    CREATE TABLE IF NOT EXISTS vital_trends (id BIGINT AUTO_INCREMENT PRIMARY KEY,
                      stream VARCHAR(64) NOT NULL, name VARCHAR(32) NOT NULL, unit VARCHAR(16),
                      bucket_start_ns BIGINT NOT NULL, bucket_s INT NOT NULL, n INT NOT NULL,
                      mean_value DOUBLE, min_value DOUBLE, max_value DOUBLE, stored_at %s NOT NULL)""".formatted(TS),
                    """
                    CREATE TABLE IF NOT EXISTS config_history (id BIGINT AUTO_INCREMENT PRIMARY KEY,
                      saved_at %s NOT NULL, user_name VARCHAR(64) NOT NULL, sha256 CHAR(64) NOT NULL,
                      yaml CHARACTER LARGE OBJECT NOT NULL)""".formatted(TS),
                    """
                    CREATE TABLE IF NOT EXISTS audit_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, at %s NOT NULL,
                      user_name VARCHAR(64) NOT NULL, action VARCHAR(64) NOT NULL, detail VARCHAR(1024))""".formatted(TS),
                    "CREATE INDEX IF NOT EXISTS beats_stored_at ON beats (stored_at)",
                    "CREATE INDEX IF NOT EXISTS vitals_stored_at ON vitals (stored_at)",
                    "CREATE INDEX IF NOT EXISTS events_stored_at ON events (stored_at)",
                    "CREATE INDEX IF NOT EXISTS vital_trends_stored_at ON vital_trends (stored_at)",
                    "CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at)")));

    private Migrations() {
    }

    public static int latestVersion() {
        return ALL.get(ALL.size() - 1).version();
    }

    /** The highest version recorded in {@code schema_version}, 0 for an empty database. */
    public static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
                    + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = 'SCHEMA_VERSION'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    return 0;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Brings the database behind {@code c} up to {@link #latestVersion()}.
     *
     * @param where names the database in error messages (its file)
     * @param now   the wall-clock time recorded with each applied migration
     * @return the number of migrations applied
     * @throws SQLException when the database is newer than this code, or a statement fails (naming the migration)
     */
    public static int apply(Connection c, String where, Instant now) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
                st.execute("ALTER TABLE schema_version ADD COLUMN IF NOT EXISTS description VARCHAR(200)");
                st.execute("ALTER TABLE schema_version ADD COLUMN IF NOT EXISTS applied_at TIMESTAMP WITH TIME ZONE");
            }
            c.commit();
            int current = currentVersion(c);
            if (current > latestVersion()) {
                throw new SQLException("database " + where + " has schema version " + current
                        + ", newer than this gateway knows (" + latestVersion()
                        + "): refusing to open it; run the newer gateway or restore a backup");
            }
            int applied = 0;
            for (Migration m : ALL) {
                if (m.version() <= current) {
                    continue;
                }
                try (Statement st = c.createStatement()) {
                    for (String sql : m.statements()) {
                        st.execute(sql);
                    }
                    try (PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO schema_version (version, description, applied_at) VALUES (?,?,?)")) {
                        ins.setInt(1, m.version());
                        ins.setString(2, m.description());
                        ins.setTimestamp(3, Timestamp.from(now));
                        ins.executeUpdate();
                    }
                    c.commit();
                    applied++;
                } catch (SQLException e) {
                    c.rollback();
                    throw new SQLException("database " + where + ": migration " + m.version() + " ("
                            + m.description() + ") failed: " + e.getMessage(), e);
                }
            }
            return applied;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
