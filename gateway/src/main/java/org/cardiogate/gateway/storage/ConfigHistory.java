package org.cardiogate.gateway.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Every configuration the gateway ran with or was given: who saved it, when, and the full YAML text, so any
 * earlier configuration can be shown or restored. Saving also writes an {@link AuditLog} entry
 * ({@code config.save}) in the same transaction. Thread-safe (serialised on the control connection).
 */
public final class ConfigHistory {
    /** One saved configuration. {@code sha256} is the hex digest of the UTF-8 YAML text. */
    public record Version(long id, Instant savedAt, String user, String sha256, String yaml) {
    }

    private final Connection c;
    private final Clock clock;

    ConfigHistory(Connection c, Clock clock) {
        this.c = c;
        this.clock = clock;
    }

    /**
     * Stores {@code yamlText} as the newest configuration, unless it is identical to the newest one already stored
     * (a restart with an unchanged file adds nothing).
     *
     * @return the id of the stored version, or of the identical newest one
     */
    public long save(String user, String yamlText) throws SQLException {
        AuditLog.check(user, "user", 64);
        if (yamlText == null) {
            throw new IllegalArgumentException("yamlText must not be null");
        }
        String sha = sha256(yamlText);
        synchronized (c) {
            try {
                Optional<Version> newest = latestLocked();
                if (newest.isPresent() && newest.get().sha256().equals(sha)) {
                    c.commit();
                    return newest.get().id();
                }
                Instant now = clock.instant();
                long id;
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO config_history (saved_at, user_name, sha256, yaml) VALUES (?,?,?,?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, user);
                    ps.setString(3, sha);
                    ps.setString(4, yamlText);
                    ps.executeUpdate();
                    try (ResultSet rs = ps.getGeneratedKeys()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                AuditLog.insert(c, now, user, "config.save", "configuration version " + id + " sha256 " + sha);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The newest stored configuration, if any. */
    public Optional<Version> latest() throws SQLException {
        synchronized (c) {
            Optional<Version> v = latestLocked();
            c.commit();
            return v;
        }
    }

    /** One version by id. */
    public Optional<Version> get(long id) throws SQLException {
        synchronized (c) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, saved_at, user_name, sha256, yaml FROM config_history WHERE id = ?")) {
                ps.setLong(1, id);
                List<Version> v = read(ps);
                c.commit();
                return v.stream().findFirst();
            }
        }
    }

    /** Every stored version, newest first. */
    public List<Version> list() throws SQLException {
        synchronized (c) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, saved_at, user_name, sha256, yaml FROM config_history ORDER BY id DESC")) {
                List<Version> v = read(ps);
                c.commit();
                return v;
            }
        }
    }

    private Optional<Version> latestLocked() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, saved_at, user_name, sha256, yaml FROM config_history ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")) {
            return read(ps).stream().findFirst();
        }
    }

    private static List<Version> read(PreparedStatement ps) throws SQLException {
        List<Version> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Version(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        return out;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
