package org.cardiogate.signal.wfdb;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The reference recordings in {@code cardiogate.shared}/data; tests skip with a message when they are absent. */
final class SharedData {
    private SharedData() {
    }

    static Path dir(String database) {
        String shared = System.getProperty("cardiogate.shared");
        assumeTrue(shared != null, "system property cardiogate.shared is not set; skipping test on " + database);
        Path dir = Path.of(shared, "data", database);
        assumeTrue(Files.isDirectory(dir), "reference recordings not found at " + dir + "; skipping");
        return dir;
    }

    static List<String> records(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("RECORDS")).stream().map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }
}
