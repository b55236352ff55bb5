package org.cardiogate.gateway.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * Opens the gateway's H2 database file {@code <dir>/cardiogate.mv.db} with the settings chosen for power loss,
 * migrating it to the current schema first.
 *
 * <h2>Durability</h2>
 * H2 2.5 in file mode stores everything in one MVStore file, written copy-on-write in checksummed chunks; on open
 * it falls back to the newest chunk whose checksum is intact, so a torn write cannot corrupt older data.
 * <ul>
 *   <li>{@code WRITE_DELAY=0}: every commit writes its chunk before {@code commit()} returns (the default, 500 ms,
 *       would keep the last half second only in memory). A killed process therefore loses nothing committed.</li>
 *   <li>The OS may still hold that chunk in its page cache. {@link #sync(Connection)} ({@code CHECKPOINT SYNC})
 *       forces it to the device; {@link EventStore} calls it after each batch commit and counts a row as
 *       {@linkplain EventStore#written() written} only after that. A power cut therefore loses at most the batch
 *       being committed (plus whatever still waited in the in-memory queue), never an acknowledged one, provided
 *       the storage device honours flushes (SD cards with a volatile write cache may not: use an industrial card
 *       or an SSD).</li>
 *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 does not close the database from its own shutdown hook, so on SIGTERM
 *       the gateway's orderly close (which drains {@link EventStore}'s queue first) still finds it open.</li>
 *   <li>{@code FILE_LOCK=FILE} (default) keeps a second process from opening the file while the gateway runs;
 *       back up a running gateway through {@link StoreBackup} inside the process.</li>
 * </ul>
 */
public final class StoreDatabase {
    /** The database user; H2 creates it as administrator with the file. Access control is the file's mode. */
    static final String USER = "cardiogate";
    private static final String NAME = "cardiogate";

    private StoreDatabase() {
    }

    /** JDBC URL of the database in {@code dir}. */
    public static String url(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve(NAME) + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The database file itself, for size checks. */
    public static Path file(Path dir) {
        return dir.toAbsolutePath().resolve(NAME + ".mv.db");
    }

    /**
     * Opens a connection (auto-commit on), creating the directory and database if needed and migrating the schema.
     *
     * @throws SQLException naming the directory when it cannot be created, or the database when it is newer than
     *                      this code or a migration fails
     */
    public static Connection open(Path dir, Instant now) throws SQLException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SQLException("cannot create data directory " + dir + ": " + e.getMessage(), e);
        }
        Connection c = DriverManager.getConnection(url(dir), USER, "");
        try {
            synchronized (StoreDatabase.class) {
                Migrations.apply(c, file(dir).toString(), now);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Forces committed data to the storage device (fsync); see the class comment. */
    public static void sync(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        }
    }
}
