package org.cardiogate.gateway.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.cardiogate.gateway.storage.StoreBackup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gateway backup}: a consistent copy of the local database, or its tables as CSV. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Back up the local database (events, alarms, vitals, beats, audit log, configuration history).",
                "Run it while the gateway is stopped (the database is locked while it runs)."})
public final class BackupCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ZIP", arity = "0..1", description = "backup file to write (H2 BACKUP)")
    Path zip;

    @Option(names = "--data-dir", defaultValue = "data/demo", paramLabel = "DIR",
            description = "the gateway's data directory (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--csv", paramLabel = "DIR", description = "also export every table as CSV into DIR")
    Path csv;

    @Override
    public Integer call() throws Exception {
        if (zip == null && csv == null) {
            System.err.println("backup: give a ZIP file, --csv DIR, or both");
            return 2;
        }
        Path db = dataDir.resolve("db");
        try {
            if (zip != null) {
                long bytes = StoreBackup.backup(db, zip);
                System.out.println("backup of " + db + " written to " + zip + " (" + bytes + " bytes)");
            }
            if (csv != null) {
                Map<String, Long> rows = StoreBackup.exportCsv(db, csv);
                System.out.println("tables exported to " + csv + ": " + rows);
            }
            return 0;
        } catch (java.sql.SQLException | java.io.IOException e) {
            System.err.println("backup: " + e.getMessage());
            return 1;
        }
    }
}
