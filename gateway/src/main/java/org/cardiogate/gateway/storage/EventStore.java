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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.PipelineOutput;
import org.cardiogate.signal.Vital;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps beats, vitals and events in an embedded H2 database file ({@code <dataDir>/cardiogate.mv.db}).
 *
 * <p>The {@link PipelineOutput} methods only queue (bounded; a full queue drops the item and counts it). One
 * writer thread ("store-writer") drains the queue and commits a batch at a time. The database is opened with
 * {@code WRITE_DELAY=0} so a committed batch is on disk when the commit returns: a power cut loses at most the
 * batch being written, never a committed one.
 */
public final class EventStore implements PipelineOutput, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    private static final int SCHEMA_VERSION = 1;

    private final Connection connection;
    private final BlockingQueue<Object> queue;
    private final Thread writer;
    private final Clock wallClock;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean running = true;

    public EventStore(Path dataDir, int queueCapacity, Clock wallClock) throws SQLException {
        this.wallClock = wallClock;
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("cardiogate") + ";WRITE_DELAY=0";
        this.connection = DriverManager.getConnection(url, "cardiogate", "");
        migrate();
        connection.setAutoCommit(false);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = Thread.ofPlatform().name("store-writer").daemon(true).start(this::drain);
    }

    private void migrate() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
            int current = 0;
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            if (current > SCHEMA_VERSION) {
                throw new SQLException("database schema version " + current + " is newer than this gateway ("
                        + SCHEMA_VERSION + "): refusing to touch it");
            }
            if (current < 1) {
                st.execute("""
                        CREATE TABLE beats (id BIGINT AUTO_INCREMENT PRIMARY KEY, stream VARCHAR(64) NOT NULL,
                          sample BIGINT NOT NULL, t_ns BIGINT NOT NULL, beat_class CHAR(1) NOT NULL,
                          rr_s DOUBLE, hr_bpm DOUBLE, stored_at TIMESTAMP WITH TIME ZONE NOT NULL)""");
                st.execute("""
                        CREATE TABLE vitals (id BIGINT AUTO_INCREMENT PRIMARY KEY, stream VARCHAR(64) NOT NULL,
                          name VARCHAR(32) NOT NULL, vital_value DOUBLE, unit VARCHAR(16), sample BIGINT NOT NULL,
                          t_ns BIGINT NOT NULL, source VARCHAR(32), stored_at TIMESTAMP WITH TIME ZONE NOT NULL)""");
                st.execute("""
                        CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, stream VARCHAR(64) NOT NULL,
                          event_type VARCHAR(16) NOT NULL, onset_sample BIGINT NOT NULL, offset_sample BIGINT NOT NULL,
                          t_ns BIGINT NOT NULL, detail VARCHAR(256), stored_at TIMESTAMP WITH TIME ZONE NOT NULL)""");
                st.execute("INSERT INTO schema_version VALUES (1)");
            }
        }
    }

    @Override
    public void onBeat(Beat beat) {
        offer(beat);
    }

    @Override
    public void onVital(Vital vital) {
        offer(vital);
    }

    @Override
    public void onEvent(CardiacEvent event) {
        offer(event);
    }

    private void offer(Object item) {
        if (!running || !queue.offer(item)) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        List<Object> batch = new ArrayList<>(256);
        try (PreparedStatement beats = connection.prepareStatement(
                "INSERT INTO beats (stream, sample, t_ns, beat_class, rr_s, hr_bpm, stored_at) VALUES (?,?,?,?,?,?,?)");
             PreparedStatement vitals = connection.prepareStatement(
                     "INSERT INTO vitals (stream, name, vital_value, unit, sample, t_ns, source, stored_at) VALUES (?,?,?,?,?,?,?,?)");
             PreparedStatement events = connection.prepareStatement(
                     "INSERT INTO events (stream, event_type, onset_sample, offset_sample, t_ns, detail, stored_at) VALUES (?,?,?,?,?,?,?)")) {
            while (running || !queue.isEmpty()) {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 255);
                Timestamp now = Timestamp.from(wallClock.instant());
                for (Object o : batch) {
                    switch (o) {
                        case Beat b -> {
                            beats.setString(1, b.streamId());
                            beats.setLong(2, b.sample());
                            beats.setLong(3, b.timestampNanos());
                            beats.setString(4, b.beatClass().name());
                            setDouble(beats, 5, b.rrSeconds());
                            setDouble(beats, 6, b.heartRateBpm());
                            beats.setTimestamp(7, now);
                            beats.addBatch();
                        }
                        case Vital v -> {
                            vitals.setString(1, v.streamId());
                            vitals.setString(2, v.name());
                            setDouble(vitals, 3, v.value());
                            vitals.setString(4, v.unit());
                            vitals.setLong(5, v.sample());
                            vitals.setLong(6, v.timestampNanos());
                            vitals.setString(7, v.source());
                            vitals.setTimestamp(8, now);
                            vitals.addBatch();
                        }
                        case CardiacEvent e -> {
                            events.setString(1, e.streamId());
                            events.setString(2, e.type().name());
                            events.setLong(3, e.onsetSample());
                            events.setLong(4, e.offsetSample());
                            events.setLong(5, e.timestampNanos());
                            events.setString(6, e.detail().length() > 256 ? e.detail().substring(0, 256) : e.detail());
                            events.setTimestamp(7, now);
                            events.addBatch();
                        }
                        default -> throw new IllegalStateException("unexpected item " + o);
                    }
                }
                beats.executeBatch();
                vitals.executeBatch();
                events.executeBatch();
                connection.commit();
                written.addAndGet(batch.size());
                batch.clear();
            }
        } catch (SQLException e) {
            LOG.error("storage writer stopped: {}", e.getMessage(), e);
            running = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(i, java.sql.Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    /** Items dropped because the queue was full or the store closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Items committed to disk. */
    public long written() {
        return written.get();
    }

    /** Row count of one table ({@code beats}, {@code vitals} or {@code events}); for status and tests. */
    public long count(String table) throws SQLException {
        if (!List.of("beats", "vitals", "events").contains(table)) {
            throw new IllegalArgumentException("no table " + table);
        }
        synchronized (this) {
            try (Connection c = DriverManager.getConnection(connection.getMetaData().getURL(), "cardiogate", "");
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Writes what is queued, then closes the database. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the database: {}", e.getMessage());
        }
    }
}
