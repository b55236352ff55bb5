package org.cardiogate.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process writing through {@link EventStore} with SIGKILL at random moments, many times over the same
 * database, and checks after each kill that the database opens, every row of every table reads back, and every
 * beat and event the writer had reported as committed is there, with no holes in the sequence.
 *
 * <p>H2 2.5.252 lost acknowledged commits when a chunk went into reused space (see {@link StoreDatabase},
 * "Durability"). A 14 s kill test hardly ever gets there (space freed in the file is kept for H2's 45 s
 * {@code RETENTION_TIME}), so the second test sets {@code RETENTION_TIME} 0 on its database, which reuses freed
 * space at once; it takes its "kills" only between completed commits, because a real kill with retention 0 has
 * a failure of its own (a chunk written over the one the store header names, killed before the header is
 * rewritten), which the production 45 s prevents. {@link StoreCrashStress} runs the kill cycles by the hundred.
 */
class StoreCrashIT {
    private static final int KILLS = 12;
    private static final int SESSIONS = 40;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void sigkillDuringWritesNeverCorruptsTheDatabaseNorLosesCommittedRows(@TempDir Path dir) throws Exception {
        Random random = new Random(8);
        long totalBeats = 0;
        for (int i = 0; i < KILLS; i++) {
            long t0 = System.nanoTime();
            CrashWriterChild child = start(dir);
            long t1;
            if (i % 2 == 0) {
                // right after the first non-empty synced commits of a session: the moment losses were seen
                // (the child reports once on start, before it has written anything)
                awaitCommits(child, 2 + random.nextInt(2), 20_000);
                t1 = System.nanoTime();
                Thread.sleep(random.nextInt(150));
            } else {
                awaitCommits(child, 1, 20_000);
                t1 = System.nanoTime();
                Thread.sleep(50 + random.nextInt(700));
            }
            child.jvm.process.toHandle().destroyForcibly();
            assertThat(child.jvm.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            child.jvm.reader.join(5_000);
            keepForDiagnosis(dir, i);
            assertThat(child.error).as("child %d reported an error", i).isNull();
            long ackBeats = child.beatEnd;
            long ackEvents = child.eventEnd;
            // the child continues the sample numbers from what it read after opening: it must have seen every row
            // that the previous reopen here verified and then closed cleanly
            assertThat(child.beat0).as("kill %d: beats the child found on opening", i).isEqualTo(totalBeats);

            long t2 = System.nanoTime();
            try (Connection c = StoreDatabase.open(dir, Instant.now()); Statement st = c.createStatement()) {
                long[] beats = sequence(st, "beats", "sample");
                long[] events = sequence(st, "events", "onset_sample");
                assertThat(beats[0]).as("beats after kill %d: rows", i).isEqualTo(beats[1]);
                assertThat(beats[2]).as("beats after kill %d: distinct sample numbers", i).isEqualTo(beats[1]);
                assertThat(beats[1]).as("beats after kill %d: at least every acknowledged one", i)
                        .isGreaterThanOrEqualTo(ackBeats);
                assertThat(events[0]).as("events after kill %d: rows", i).isEqualTo(events[1]);
                assertThat(events[2]).as("events after kill %d: distinct", i).isEqualTo(events[1]);
                assertThat(events[1]).as("events after kill %d: at least every acknowledged one", i)
                        .isGreaterThanOrEqualTo(ackEvents);
                for (String t : StoreBackup.TABLES) {
                    StoreScan.scanEveryColumn(st, t);
                }
                // nothing stored before this kill is gone (progress within one short run is not guaranteed under load)
                assertThat(beats[1]).as("kill %d: rows of earlier runs kept", i).isGreaterThanOrEqualTo(totalBeats);
                totalBeats = beats[1];
                System.out.printf("kill %2d: %d beats acknowledged, %d in the database (%d events ack, %d stored); "
                                + "first commit after %d ms, killed after %d ms, reopened and scanned in %d ms%n",
                        i, ackBeats, beats[1], ackEvents, events[1], (t1 - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
            }
        }
        assertThat(totalBeats).isGreaterThan(KILLS);
    }

    /**
     * A SIGKILL leaves the file with every write that had completed and nothing else, so a copy of the file taken
     * while the writer is idle right after a synced commit is what a kill at that moment leaves. Many short sessions
     * on one database (open, write, close cleanly: a gateway restarted again and again) each take one such copy
     * after a random one of their commits; every copy must reopen with all beats acknowledged when it was taken.
     * Unlike the kill test this does not depend on where a kill happens to land, only on where H2 puts the chunks;
     * with freed space reused at once (see the class comment) H2 2.5.252 failed it within a few sessions.
     */
    @Test
    void aKillRightAfterAnySyncedCommitLosesNothingAcknowledged(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("db");
        Path killed = dir.resolve("killed");
        reuseFreedSpaceAtOnce(db);
        Random random = new Random(11);
        long next = 0;
        for (int session = 0; session < SESSIONS; session++) {
            int commits = 1 + random.nextInt(5);
            int copyAfter = random.nextInt(commits);
            long acked = -1;
            try (EventStore store = new EventStore(db, 4096, Clock.systemUTC())) {
                long offered = 0;
                for (int k = 0; k < commits; k++) {
                    int n = 1 + random.nextInt(250);
                    for (int j = 0; j < n; j++, next++, offered++) {
                        store.onBeat(new Beat("ecg", next, next * 2_000_000L, AamiClass.N, 0.8, 75));
                    }
                    awaitWritten(store, offered);
                    if (k == copyAfter) {
                        java.nio.file.Files.createDirectories(killed);
                        java.nio.file.Files.copy(StoreDatabase.file(db), StoreDatabase.file(killed),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        acked = next;
                    }
                }
            }
            try (Connection c = StoreDatabase.open(killed, Instant.now()); Statement st = c.createStatement()) {
                long[] beats = sequence(st, "beats", "sample");
                assertThat(beats[0]).as("session %d: rows", session).isEqualTo(beats[1]);
                assertThat(beats[1]).as("session %d: beats in a copy taken after %d of %d synced commits",
                        session, copyAfter + 1, commits).isEqualTo(acked);
            }
        }
    }

    private static void awaitWritten(EventStore store, long items) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (store.written() < items) {
            assertThat(store.failed()).as("store writer failed").isFalse();
            if (System.nanoTime() > end) {
                throw new AssertionError("the store wrote " + store.written() + " of " + items + " items in 60 s");
            }
            Thread.sleep(1);
        }
    }

    /** Creates the database in {@code dir} with {@code RETENTION_TIME} 0, persistent (see the class comment). */
    private static void reuseFreedSpaceAtOnce(Path dir) throws Exception {
        try (Connection c = StoreDatabase.open(dir, Instant.now()); Statement st = c.createStatement()) {
            st.execute("SET RETENTION_TIME 0");
        }
    }

    /** {row count, max+1 of the sequence column (rows expected if gap-free from 0), distinct values}. */
    private static long[] sequence(Statement st, String table, String column) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COALESCE(MAX(" + column + ") + 1, 0), COUNT(DISTINCT "
                + column + "), COALESCE(MIN(" + column + "), 0) FROM " + table)) {
            rs.next();
            assertThat(rs.getLong(4)).as(table + " starts at 0").isZero();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    /**
     * Keeps a copy of the database as the kill left it (before H2 reopens and recovers it) in
     * {@code target/store-crash/kill-<i>}, only the latest two, so that a failure can be analysed with H2's
     * {@code MVStoreTool} instead of being a mere report.
     */
    private static void keepForDiagnosis(Path dir, int kill) throws IOException {
        Path root = Path.of("target", "store-crash");
        Path to = root.resolve("kill-" + kill);
        java.nio.file.Files.createDirectories(to);
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (java.nio.file.Files.isRegularFile(f)) {
                    java.nio.file.Files.copy(f, to.resolve(f.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path old = root.resolve("kill-" + (kill - 2));
        if (java.nio.file.Files.isDirectory(old)) {
            try (var files = java.nio.file.Files.list(old)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(old);
        }
    }

    private CrashWriterChild start(Path dir) throws IOException {
        CrashWriterChild child = CrashWriterChild.start(List.of(), dir);
        children.add(child.jvm.process);
        return child;
    }

    private static void awaitCommits(CrashWriterChild child, int n, long millis) throws InterruptedException {
        if (!child.awaitCommits(n, millis)) {
            throw new AssertionError("the writer committed nothing within " + millis + " ms; alive="
                    + child.jvm.process.isAlive() + "; output:\n" + child.jvm.log());
        }
    }
}
