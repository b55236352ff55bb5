package org.cardiogate.gateway.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alarms with their life cycle: raised ({@link State#ACTIVE}), acknowledged by a named user
 * ({@link State#ACKNOWLEDGED}), cleared when the condition ends ({@link State#CLEARED}). An alarm that cleared
 * before anyone acknowledged it can still be acknowledged afterwards (it keeps state {@code CLEARED} and gets the
 * acknowledging user and time). Every acknowledgement is written to the {@link AuditLog} in the same transaction.
 * Thread-safe (serialised on the control connection); each call commits before it returns.
 */
public final class AlarmStore {
    /** Alarm priority in the sense of IEC 60601-1-8. */
    public enum Priority { HIGH, MEDIUM, LOW }

    /** Where an alarm is in its life cycle. */
    public enum State { ACTIVE, ACKNOWLEDGED, CLEARED }

    /** One alarm as stored. {@code ackUser}, {@code ackAt} and {@code clearedAt} are {@code null} until set. */
    public record Alarm(long id, String stream, String type, Priority priority, State state, String detail,
                        long onsetSample, Instant raisedAt, String ackUser, Instant ackAt, Instant clearedAt) {
    }

    private static final String COLUMNS = "id, stream, alarm_type, priority, state, detail, onset_sample, raised_at, "
            + "ack_user, ack_at, cleared_at";

    private final Connection c;
    private final Clock clock;

    AlarmStore(Connection c, Clock clock) {
        this.c = c;
        this.clock = clock;
    }

    /**
     * Records a new active alarm.
     *
     * @param type        what, e.g. an {@code EventType} name such as {@code "VT"} or {@code "LEAD_OFF"}
     * @param onsetSample the stream's sample number where the condition began
     * @return the alarm's id
     */
    public long raise(String stream, String type, Priority priority, long onsetSample, String detail)
            throws SQLException {
        AuditLog.check(stream, "stream", 64);
        AuditLog.check(type, "type", 32);
        synchronized (c) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO alarms (stream, alarm_type, priority, state, detail, onset_sample, raised_at) "
                            + "VALUES (?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, stream);
                ps.setString(2, type);
                ps.setString(3, priority.name());
                ps.setString(4, State.ACTIVE.name());
                ps.setString(5, detail == null ? null : detail.length() > 256 ? detail.substring(0, 256) : detail);
                ps.setLong(6, onsetSample);
                ps.setTimestamp(7, Timestamp.from(clock.instant()));
                ps.executeUpdate();
                long id;
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                c.commit();
                return id;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Acknowledges an alarm on behalf of {@code user} and records it in the audit log.
     *
     * @return {@code false} when there is no such alarm or it was already acknowledged
     */
    public boolean acknowledge(long id, String user) throws SQLException {
        AuditLog.check(user, "user", 64);
        synchronized (c) {
            try {
                Instant now = clock.instant();
                int n;
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE alarms SET ack_user = ?, ack_at = ?, "
                                + "state = CASE WHEN state = 'ACTIVE' THEN 'ACKNOWLEDGED' ELSE state END "
                                + "WHERE id = ? AND ack_user IS NULL")) {
                    ps.setString(1, user);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setLong(3, id);
                    n = ps.executeUpdate();
                }
                if (n == 1) {
                    AuditLog.insert(c, now, user, "alarm.ack", "alarm " + id);
                }
                c.commit();
                return n == 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Marks an alarm's condition as ended.
     *
     * @return {@code false} when there is no such alarm or it was already cleared
     */
    public boolean clear(long id) throws SQLException {
        synchronized (c) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE alarms SET state = 'CLEARED', cleared_at = ? WHERE id = ? AND state <> 'CLEARED'")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setLong(2, id);
                int n = ps.executeUpdate();
                c.commit();
                return n == 1;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public Optional<Alarm> get(long id) throws SQLException {
        synchronized (c) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alarms WHERE id = ?")) {
                ps.setLong(1, id);
                List<Alarm> a = read(ps);
                c.commit();
                return a.stream().findFirst();
            }
        }
    }

    /** Alarms not yet cleared, or cleared but never acknowledged; newest first. */
    public List<Alarm> unresolved() throws SQLException {
        synchronized (c) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alarms "
                    + "WHERE state <> 'CLEARED' OR ack_user IS NULL ORDER BY id DESC")) {
                List<Alarm> a = read(ps);
                c.commit();
                return a;
            }
        }
    }

    private static List<Alarm> read(PreparedStatement ps) throws SQLException {
        List<Alarm> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Alarm(rs.getLong(1), rs.getString(2), rs.getString(3), Priority.valueOf(rs.getString(4)),
                        State.valueOf(rs.getString(5)), rs.getString(6), rs.getLong(7), instant(rs, 8),
                        rs.getString(9), instant(rs, 10), instant(rs, 11)));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }
}
