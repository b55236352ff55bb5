package org.cardiogate.gateway.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * Keeps beats, vitals (raw and as {@linkplain TrendDownsampler downsampled trends}) and events in the gateway's H2
 * database ({@link StoreDatabase}, file {@code <dataDir>/cardiogate.mv.db}).
 *
 * <p>The {@link PipelineOutput} methods only queue (bounded; a full queue drops the item and counts it) and may be
 * called from any thread. One writer thread ("store-writer") drains the queue, commits a batch at a time and
 * forces it to the device ({@link StoreDatabase#sync}); {@link #written()} counts only rows that are both committed
 * and synced. A crash or power cut loses at most the batch being committed and what still waited in the queue.
 */
public final class EventStore implements PipelineOutput, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    /** Default trend resolution: one point per vital every 10 s. */
    public static final int DEFAULT_TREND_SECONDS = 10;
    private static final Set<String> TABLES = Set.of("beats", "vitals", "events", "vital_trends", "alarms",
            "audit_log", "config_history");
    private static final int BATCH = 256;

    private final Path dataDir;
    private final Connection connection;
    private final BlockingQueue<Object> queue;
    private final Thread writer;
    private final Clock wallClock;
    private final TrendDownsampler trends;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean failed;

    public EventStore(Path dataDir, int queueCapacity, Clock wallClock) throws SQLException {
        this(dataDir, queueCapacity, wallClock, DEFAULT_TREND_SECONDS);
    }

    /**
     * Opens (creating and migrating as needed) the database in {@code dataDir} and starts the writer thread.
     *
     * @param queueCapacity items that may wait for the writer before new ones are dropped
     * @param wallClock     stamps {@code stored_at}, which retention ages by
     * @param trendSeconds  width of a vital trend bucket in seconds
     */
    public EventStore(Path dataDir, int queueCapacity, Clock wallClock, int trendSeconds) throws SQLException {
        this.dataDir = dataDir;
        this.wallClock = wallClock;
        this.trends = new TrendDownsampler(trendSeconds);
        this.connection = StoreDatabase.open(dataDir, wallClock.instant());
        connection.setAutoCommit(false);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = Thread.ofPlatform().name("store-writer").daemon(true).start(this::drain);
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
        List<Object> batch = new ArrayList<>(BATCH);
        try (PreparedStatement beats = connection.prepareStatement(
                "INSERT INTO beats (stream, sample, t_ns, beat_class, rr_s, hr_bpm, stored_at) VALUES (?,?,?,?,?,?,?)");
             PreparedStatement vitals = connection.prepareStatement(
                     "INSERT INTO vitals (stream, name, vital_value, unit, sample, t_ns, source, stored_at) VALUES (?,?,?,?,?,?,?,?)");
             PreparedStatement events = connection.prepareStatement(
                     "INSERT INTO events (stream, event_type, onset_sample, offset_sample, t_ns, detail, stored_at) VALUES (?,?,?,?,?,?,?)");
             PreparedStatement trendRows = connection.prepareStatement(
                     "INSERT INTO vital_trends (stream, name, unit, bucket_start_ns, bucket_s, n, mean_value, min_value, max_value, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            while (running || !queue.isEmpty()) {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
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
                            TrendDownsampler.Point p = trends.add(v);
                            if (p != null) {
                                addTrend(trendRows, p, now);
                            }
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
                trendRows.executeBatch();
                connection.commit();
                StoreDatabase.sync(connection);
                written.addAndGet(batch.size());
                batch.clear();
            }
            List<TrendDownsampler.Point> open = trends.flush();
            if (!open.isEmpty()) {
                Timestamp now = Timestamp.from(wallClock.instant());
                for (TrendDownsampler.Point p : open) {
                    addTrend(trendRows, p, now);
                }
                trendRows.executeBatch();
                connection.commit();
                StoreDatabase.sync(connection);
            }
        } catch (SQLException e) {
            LOG.error("storage writer stopped: {}", e.getMessage(), e);
            failed = true;
            running = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void addTrend(PreparedStatement ps, TrendDownsampler.Point p, Timestamp now) throws SQLException {
        ps.setString(1, p.stream());
        ps.setString(2, p.name());
        ps.setString(3, p.unit());
        ps.setLong(4, p.bucketStartNanos());
        ps.setInt(5, p.bucketSeconds());
        ps.setInt(6, p.n());
        ps.setDouble(7, p.mean());
        ps.setDouble(8, p.min());
        ps.setDouble(9, p.max());
        ps.setTimestamp(10, now);
        ps.addBatch();
    }

    private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    /** Items dropped because the queue was full or the store closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Items committed and synced to the device. */
    public long written() {
        return written.get();
    }

    /** Whether the writer stopped on a database error (logged); nothing more is stored after that. */
    public boolean failed() {
        return failed;
    }

    /** The directory holding the database. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Row count of one table ({@code beats}, {@code vitals}, {@code events}, {@code vital_trends}, {@code alarms},
     * {@code audit_log} or {@code config_history}); for status and tests. Uses its own short connection.
     */
    public long count(String table) throws SQLException {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("no table " + table + " (one of " + TABLES + ")");
        }
        try (Connection c = java.sql.DriverManager.getConnection(StoreDatabase.url(dataDir), StoreDatabase.USER, "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Writes what is queued (and the open trend buckets), then closes the database. */
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
