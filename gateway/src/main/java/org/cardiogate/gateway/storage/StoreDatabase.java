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
 * H2 in file mode stores everything in one MVStore file, written copy-on-write in checksummed chunks; on open
 * after a crash it looks for the newest chunk from the store header (which names a recent chunk), the last chunk
 * in the file and each chunk's prediction of where the next one goes, and falls back to the newest complete one,
 * so a torn write cannot corrupt older data.
 * <p><b>H2 version.</b> The build pins H2 2.4.240, not 2.5.252: 2.5.252 writes the store header for a new chunk
 * while it still names the previous chunk ({@code RandomAccessStore.writeChunk} calls {@code writeStoreHeader()}
 * before {@code FileStore.storeBuffer} sets {@code lastChunk}; 2.3.232 and 2.4.240 set it first). H2 writes the
 * header in particular when a chunk does not go where the previous one predicted, typically the first commit
 * after a restart landing in space freed by compaction or retention; after a SIGKILL or power cut that chunk and
 * every later one placed as predicted were then unreachable: recovery chose the previous chunk and silently dropped
 * commits that had been synced and acknowledged (seen once in {@code StoreCrashIT}; in {@code StoreCrashStress},
 * 2.5.252 lost acknowledged or earlier rows in 2 of 1359 kill cycles with the default retention and in 43 of 160
 * with freed space reused at once; 2.4.240 in 0 of 484 and 0 of 300).
 * 2.4.240 reads files written by 2.5.252 (same format 3). {@code StoreCrashIT} fails within seconds on 2.5.252:
 * run it before any H2 upgrade.
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
 *   <li>Space reuse and compaction stay at H2's defaults ({@code REUSE_SPACE TRUE}, {@code RETENTION_TIME} 45 s,
 *       {@code MAX_COMPACT_TIME} 200 ms on close): space that {@link Retention}'s deletes free inside the file
 *       is reused by later writes. {@code REUSE_SPACE=FALSE} would also have hidden the 2.5.252 bug (every chunk
 *       appended, so the newest is the file's last) but H2 then never reuses nor moves chunks, so the file would
 *       only grow. Do not lower {@code RETENTION_TIME}: with 0 a chunk may be written over the very chunk the
 *       store header names, and a kill before the header is rewritten sends recovery back to an old chunk (with
 *       2.4.240, 1 of 120 kill cycles in {@code StoreCrashStress} rolled back that way). With 45 s that needs a
 *       header left unchanged for 45 s while chunks are still being written, and H2 rewrites it whenever a chunk
 *       lands off its predicted place and at least every 20 commits otherwise.</li>
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
