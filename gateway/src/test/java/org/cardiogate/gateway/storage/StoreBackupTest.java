package org.cardiogate.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBackupTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void aBackupTakenWhileTheGatewayWritesRestoresToAnOpenableCopy(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("db");
        Path zip = tmp.resolve("backups/cardiogate-backup.zip");
        long alarm;
        try (EventStore events = new EventStore(data, 1000, CLOCK); LocalStore s = LocalStore.open(data, CLOCK)) {
            for (int i = 0; i < 100; i++) {
                events.onBeat(new Beat("ecg", i, i * 1_000_000L, AamiClass.N, 0.8, 75));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> events.written() == 100);
            alarm = s.alarms().raise("ecg", "PAUSE", AlarmStore.Priority.HIGH, 50, "pause 3 s");
            assertThat(s.backup("admin", zip)).isPositive();
            events.onBeat(new Beat("ecg", 100, 0, AamiClass.N, 0.8, 75)); // after the backup: not in it
            await().atMost(Duration.ofSeconds(10)).until(() -> events.written() == 101);
        }

        Path restored = tmp.resolve("restored");
        StoreBackup.restore(zip, restored);
        try (EventStore events = new EventStore(restored, 10, CLOCK); LocalStore s = LocalStore.open(restored, CLOCK)) {
            assertThat(events.count("beats")).isEqualTo(100);
            assertThat(s.alarms().get(alarm)).get().extracting(AlarmStore.Alarm::detail).isEqualTo("pause 3 s");
        }
        try (LocalStore s = LocalStore.open(data, CLOCK)) {
            assertThat(s.audit().recent(1)).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("store.backup");
                assertThat(e.detail()).contains("cardiogate-backup.zip");
            });
        }
    }

    @Test
    void restoringOverAnExistingDatabaseIsRefused(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("db");
        Path zip = tmp.resolve("b.zip");
        StoreDatabase.open(data, CLOCK.instant()).close();
        StoreBackup.backup(data, zip);
        assertThatThrownBy(() -> StoreBackup.restore(zip, data)).isInstanceOf(IOException.class)
                .hasMessageContaining("already there");
    }

    @Test
    void csvExportWritesEveryTableWithAHeaderAndItsRows(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("db");
        try (LocalStore s = LocalStore.open(data, CLOCK)) {
            s.audit().record("admin", "limits.change", "brady 40 -> 45 bpm, \"quoted\"");
        }
        try (Connection c = CrashWriter.connect(data)) {
            RetentionTest.insertBeats(c, 25, CLOCK.instant());
        }
        Map<String, Long> rows = StoreBackup.exportCsv(data, tmp.resolve("csv"));
        assertThat(rows).containsEntry("beats", 25L).containsEntry("audit_log", 1L).containsEntry("alarms", 0L)
                .containsEntry("schema_version", (long) Migrations.latestVersion());
        List<String> beats = Files.readAllLines(tmp.resolve("csv/beats.csv"), StandardCharsets.UTF_8);
        assertThat(beats).hasSize(26);
        assertThat(beats.get(0)).contains("\"SAMPLE\"").contains("\"BEAT_CLASS\"");
        assertThat(beats.get(1)).contains("\"ecg\"").contains("\"0\"");
        assertThat(Files.readString(tmp.resolve("csv/audit_log.csv"))).contains("\"\"quoted\"\"");
        for (String t : StoreBackup.TABLES) {
            assertThat(tmp.resolve("csv/" + t + ".csv")).exists();
        }
    }

    @Test
    void backingUpADirectoryWithoutADatabaseSaysWhatIsMissing(@TempDir Path tmp) {
        assertThatThrownBy(() -> StoreBackup.backup(tmp, tmp.resolve("x.zip"))).isInstanceOf(IOException.class)
                .hasMessageContaining("no CardioGate database in " + tmp);
    }
}
