package org.cardiogate.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;

/** Integrity checks of a reopened database, shared by the crash tests. */
public final class StoreScan {
    private StoreScan() {
    }

    /**
     * Reads every column of every row of a table, so every page of it is loaded and checksummed, and checks the
     * row count agrees with the scan.
     *
     * @return the rows read
     */
    public static long scanEveryColumn(Statement st, String table) throws Exception {
        long rows = 0;
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int k = 1; k <= cols; k++) {
                    rs.getObject(k);
                }
                rows++;
            }
        }
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            assertThat(rs.getLong(1)).as(table + " count matches the scan").isEqualTo(rows);
        }
        return rows;
    }
}
