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

/**
 * Who did what, when: configuration changes, alarm acknowledgements, backups, logins. Entries are only ever added
 * (and aged out by {@link Retention}). Thread-safe: calls are serialised on the store's control connection and each
 * entry is committed before {@link #record} returns.
 */
public final class AuditLog {
    /** One entry. */
    public record Entry(long id, Instant at, String user, String action, String detail) {
    }

    private final Connection c;
    private final Clock clock;

    AuditLog(Connection c, Clock clock) {
        this.c = c;
        this.clock = clock;
    }

    /**
     * Records an action and commits it.
     *
     * @param user   who (a login name, {@code "mqtt:<client>"}, {@code "system"}); at most 64 characters
     * @param action what, as a short dotted verb such as {@code "config.save"} or {@code "alarm.ack"}
     * @param detail free text, cut to 1024 characters
     * @return the entry's id
     */
    public long record(String user, String action, String detail) throws SQLException {
        synchronized (c) {
            try {
                long id = insert(c, clock.instant(), user, action, detail);
                c.commit();
                return id;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Adds an entry inside the caller's transaction (the caller holds the connection's lock and commits). */
    static long insert(Connection c, Instant at, String user, String action, String detail) throws SQLException {
        check(user, "user", 64);
        check(action, "action", 64);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_log (at, user_name, action, detail) VALUES (?,?,?,?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, user);
            ps.setString(3, action);
            ps.setString(4, detail == null ? null : detail.length() > 1024 ? detail.substring(0, 1024) : detail);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void check(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters: " + value);
        }
    }

    /** The newest entries first, at most {@code limit}. */
    public List<Entry> recent(int limit) throws SQLException {
        synchronized (c) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, at, user_name, action, detail FROM audit_log ORDER BY id DESC FETCH FIRST ? ROWS ONLY")) {
                ps.setInt(1, limit);
                List<Entry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5)));
                    }
                }
                c.commit();
                return out;
            }
        }
    }
}
