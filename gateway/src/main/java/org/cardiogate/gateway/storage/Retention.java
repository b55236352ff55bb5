package org.cardiogate.gateway.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RetentionPolicy} to the store: deletes by age, then by size. Deletes run in chunks of
 * {@value #CHUNK} rows, each its own transaction, on a connection of their own, so the store's writer is never
 * blocked for long. Space freed inside the MVStore file is reused by later writes; the file itself shrinks only when
 * H2 compacts it (briefly at each close).
 *
 * <p>The data size used for the budget is H2's {@code DISK_SPACE_USED} summed over the tables, which counts the
 * live pages of each table (not the file's free space).
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    static final int CHUNK = 10_000;
    /** Order in which tables give way to the size budget. */
    private static final List<String> BY_SIZE = List.of("beats", "vitals", "vital_trends", "events");
    private static final List<String> ALL_TABLES = List.of("beats", "vitals", "events", "vital_trends", "alarms",
            "audit_log", "config_history");
    private static final int MAX_SIZE_ROUNDS = 40;

    /**
     * What one run did.
     *
     * @param deleted       rows deleted per table (every table listed, 0 when none)
     * @param dataBytesBefore data size before the run
     * @param dataBytesAfter  data size after the run
     * @param fileBytes     size of the database file after the run
     */
    public record Report(Map<String, Long> deleted, long dataBytesBefore, long dataBytesAfter, long fileBytes) {
        public long totalDeleted() {
            return deleted.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Path dataDir;
    private final RetentionPolicy policy;
    private final Clock clock;

    public Retention(Path dataDir, RetentionPolicy policy, Clock clock) {
        this.dataDir = dataDir;
        this.policy = policy;
        this.clock = clock;
    }

    /** One pass: age limits, then the size budget. Safe to call while the gateway writes. */
    public Report run() throws SQLException {
        Map<String, Long> deleted = new LinkedHashMap<>();
        for (String t : ALL_TABLES) {
            deleted.put(t, 0L);
        }
        Instant now = clock.instant();
        try (Connection c = DriverManager.getConnection(StoreDatabase.url(dataDir), StoreDatabase.USER, "")) {
            c.setAutoCommit(false);
            long before = dataBytes(c);
            Timestamp raw = Timestamp.from(now.minus(policy.rawAge()));
            Timestamp trend = Timestamp.from(now.minus(policy.trendAge()));
            Timestamp record = Timestamp.from(now.minus(policy.recordAge()));
            add(deleted, "beats", deleteChunked(c, "DELETE FROM beats WHERE stored_at < ?", raw));
            add(deleted, "vitals", deleteChunked(c, "DELETE FROM vitals WHERE stored_at < ?", raw));
            add(deleted, "events", deleteChunked(c, "DELETE FROM events WHERE stored_at < ?", raw));
            add(deleted, "vital_trends", deleteChunked(c, "DELETE FROM vital_trends WHERE stored_at < ?", trend));
            add(deleted, "audit_log", deleteChunked(c, "DELETE FROM audit_log WHERE at < ?", record));
            add(deleted, "alarms", deleteChunked(c, "DELETE FROM alarms WHERE state = 'CLEARED' "
                    + "AND ack_user IS NOT NULL AND raised_at < ?", record));
            add(deleted, "config_history", deleteChunked(c, "DELETE FROM config_history WHERE saved_at < ? "
                    + "AND id < (SELECT MAX(id) FROM config_history)", record));

            long size = dataBytes(c);
            for (int round = 0; round < MAX_SIZE_ROUNDS && size > policy.maxBytes(); round++) {
                String table = largestShrinkable(c);
                if (table == null) {
                    LOG.warn("storage: data ({} bytes) is over the budget ({} bytes) but nothing more may be deleted",
                            size, policy.maxBytes());
                    break;
                }
                add(deleted, table, deleteOldestTenth(c, table));
                size = dataBytes(c);
            }
            Report r = new Report(Map.copyOf(deleted), before, size, fileBytes());
            return r;
        }
    }

    /**
     * Runs {@link #run()} now and then every {@code every} on a daemon thread ("store-retention"), logging each
     * report; errors are logged and the next run still happens. Close the returned job to stop.
     */
    public AutoCloseable schedule(Duration every) {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("store-retention").daemon(true).unstarted(r));
        ex.scheduleWithFixedDelay(() -> {
            try {
                Report r = run();
                LOG.info("storage retention: deleted {} rows {}; data {} -> {} bytes, file {} bytes",
                        r.totalDeleted(), r.deleted(), r.dataBytesBefore(), r.dataBytesAfter(), r.fileBytes());
            } catch (SQLException | RuntimeException e) {
                LOG.error("storage retention failed: {}", e.getMessage(), e);
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return ex::shutdownNow;
    }

    private String largestShrinkable(Connection c) throws SQLException {
        for (String t : BY_SIZE) {
            if (rowCount(c, t) > 0) {
                return t;
            }
        }
        return null;
    }

    private static long deleteOldestTenth(Connection c, String table) throws SQLException {
        long rows = rowCount(c, table);
        long n = Math.max(1, Math.min(CHUNK, (rows + 9) / 10));
        long lastId;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM " + table + " ORDER BY id OFFSET ? ROWS FETCH FIRST 1 ROW ONLY")) {
            ps.setLong(1, n - 1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                lastId = rs.getLong(1);
            }
        }
        long deleted;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id <= ?")) {
            ps.setLong(1, lastId);
            deleted = ps.executeUpdate();
        }
        c.commit();
        return deleted;
    }

    private static long deleteChunked(Connection c, String sql, Timestamp before) throws SQLException {
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement(sql + " FETCH FIRST " + CHUNK + " ROWS ONLY")) {
            ps.setTimestamp(1, before);
            int n;
            do {
                n = ps.executeUpdate();
                c.commit();
                total += n;
            } while (n == CHUNK);
        }
        return total;
    }

    private static long rowCount(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Live data of all tables in bytes, as H2 counts it. */
    static long dataBytes(Connection c) throws SQLException {
        long sum = 0;
        try (Statement st = c.createStatement()) {
            for (String t : ALL_TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT DISK_SPACE_USED('" + t.toUpperCase() + "')")) {
                    rs.next();
                    sum += rs.getLong(1);
                }
            }
        }
        c.commit();
        return sum;
    }

    private long fileBytes() {
        try {
            return Files.size(StoreDatabase.file(dataDir));
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void add(Map<String, Long> m, String table, long n) {
        m.merge(table, n, Long::sum);
    }
}
