package org.cardiogate.gateway.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.h2.tools.Restore;

/**
 * Backup and export of the local store: the body of {@code bin/gateway backup}.
 *
 * <p>Inside the running gateway these work alongside the writer (same JVM, same database). From another process
 * they work only while the gateway is stopped: H2 locks the file while it is open, and the error then says so.
 */
public final class StoreBackup {
    /** The tables exported to CSV, in this order. */
    public static final List<String> TABLES = List.of("beats", "vitals", "vital_trends", "events", "alarms",
            "audit_log", "config_history", "schema_version");

    private StoreBackup() {
    }

    /**
     * Writes a transactionally consistent copy of the database file into {@code zip} (H2 {@code BACKUP TO}; the
     * MVStore is copy-on-write, so writers are not blocked). Restore with {@link #restore}.
     *
     * @return the zip's size in bytes
     */
    public static long backup(Path dataDir, Path zip) throws SQLException, IOException {
        requireDatabase(dataDir);
        Path abs = zip.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        try (Connection c = connect(dataDir); Statement st = c.createStatement()) {
            st.execute("BACKUP TO '" + abs.toString().replace("'", "''") + "'");
        }
        return Files.size(abs);
    }

    /**
     * Unpacks a backup made by {@link #backup} into {@code dataDir}, which must not hold a database yet.
     */
    public static void restore(Path zip, Path dataDir) throws IOException, SQLException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("backup " + zip + ": no such file");
        }
        if (Files.exists(StoreDatabase.file(dataDir))) {
            throw new IOException("restore into " + dataDir + ": a database is already there ("
                    + StoreDatabase.file(dataDir) + "); move it away first");
        }
        Files.createDirectories(dataDir);
        Restore.execute(zip.toAbsolutePath().toString(), dataDir.toAbsolutePath().toString(), "cardiogate");
    }

    /**
     * Writes one CSV file per table ({@code <outDir>/<table>.csv}, UTF-8, header row, comma-separated, ordered by
     * id) for use in spreadsheets and analysis tools.
     *
     * @return rows written per table
     */
    public static Map<String, Long> exportCsv(Path dataDir, Path outDir) throws SQLException, IOException {
        requireDatabase(dataDir);
        Files.createDirectories(outDir);
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = connect(dataDir);
             PreparedStatement ps = c.prepareStatement("CALL CSVWRITE(?, ?, 'charset=UTF-8 fieldSeparator=,')")) {
            for (String t : TABLES) {
                ps.setString(1, outDir.toAbsolutePath().resolve(t + ".csv").toString());
                ps.setString(2, "SELECT * FROM " + t + " ORDER BY " + (t.equals("schema_version") ? "version" : "id"));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows.put(t, rs.getLong(1));
                }
            }
        }
        return rows;
    }

    private static void requireDatabase(Path dataDir) throws IOException {
        if (!Files.isRegularFile(StoreDatabase.file(dataDir))) {
            throw new IOException("no CardioGate database in " + dataDir + " (expected "
                    + StoreDatabase.file(dataDir) + ")");
        }
    }

    private static Connection connect(Path dataDir) throws SQLException {
        try {
            return DriverManager.getConnection(StoreDatabase.url(dataDir) + ";IFEXISTS=TRUE", StoreDatabase.USER, "");
        } catch (SQLException e) {
            if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new SQLException("database " + StoreDatabase.file(dataDir) + " is in use by a running "
                        + "gateway: stop the service first, or trigger the backup inside it", e.getSQLState(),
                        e.getErrorCode(), e);
            }
            throw e;
        }
    }
}
