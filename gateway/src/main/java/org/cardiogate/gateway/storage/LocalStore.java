package org.cardiogate.gateway.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control side of the local store: alarms, audit log, configuration history, retention and backup, on one
 * connection of their own (the bulk beat/vital/event stream goes through {@link EventStore}). Open it on the same
 * {@code dataDir} as the {@link EventStore}; both may be open at once in one JVM.
 *
 * <p>Thread-safe; the typed APIs serialise on the control connection and commit before they return. None of them
 * belongs on the real-time thread.
 */
public final class LocalStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStore.class);

    private final Path dataDir;
    private final Clock clock;
    private final Connection connection;
    private final AuditLog audit;
    private final ConfigHistory configHistory;
    private final AlarmStore alarms;

    private LocalStore(Path dataDir, Clock clock, Connection connection) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.connection = connection;
        this.audit = new AuditLog(connection, clock);
        this.configHistory = new ConfigHistory(connection, clock);
        this.alarms = new AlarmStore(connection, clock);
    }

    /** Opens (creating and migrating as needed) the database in {@code dataDir}. */
    public static LocalStore open(Path dataDir, Clock clock) throws SQLException {
        Connection c = StoreDatabase.open(dataDir, clock.instant());
        c.setAutoCommit(false);
        return new LocalStore(dataDir, clock, c);
    }

    public AuditLog audit() {
        return audit;
    }

    public ConfigHistory configHistory() {
        return configHistory;
    }

    public AlarmStore alarms() {
        return alarms;
    }

    /** A retention job over this store; run it once or {@linkplain Retention#schedule schedule} it. */
    public Retention retention(RetentionPolicy policy) {
        return new Retention(dataDir, policy, clock);
    }

    /** Backs up the database into {@code zip} and records who asked in the audit log; returns the zip's size. */
    public long backup(String user, Path zip) throws SQLException, IOException {
        long bytes = StoreBackup.backup(dataDir, zip);
        audit.record(user, "store.backup", zip.toAbsolutePath() + " (" + bytes + " bytes)");
        return bytes;
    }

    /** Exports every table to CSV in {@code outDir}; returns rows per table. */
    public Map<String, Long> exportCsv(String user, Path outDir) throws SQLException, IOException {
        Map<String, Long> rows = StoreBackup.exportCsv(dataDir, outDir);
        audit.record(user, "store.export", outDir.toAbsolutePath() + " " + rows);
        return rows;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the control connection: {}", e.getMessage());
        }
    }
}
