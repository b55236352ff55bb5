package org.cardiogate.gateway.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;


/**
 * Stress version of {@link StoreCrashIT}, run by hand (not by Surefire): many SIGKILL cycles of a {@link CrashWriter}
 * child on one database, each followed in this JVM by {@link StoreDatabase#open}, the same checks as the IT and a
 * clean close. Unlike the IT it does not stop at the first loss: it counts failures, keeps the database file of
 * each failing cycle exactly as the kill left it (and the file the previous cycle's clean close left) for
 * {@code MVStoreTool -dump}, and carries on from what the database holds.
 *
 * <pre>
 * ./mvnw -o -q -pl gateway test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp gateway/target/test-classes:gateway/target/classes:$(cat gateway/cp.txt) \
 *     org.cardiogate.gateway.storage.StoreCrashStress 300 /tmp/stress 0 6 900 25 random 0
 * </pre>
 * Arguments: {@code cycles outDir [busyThreads=0] [seed=1] [maxKillMs=900] [cyclesPerDb=12] [random|first]
 * [retentionMs=-1]}.
 * <ul>
 *   <li>{@code random}: the kill lands uniformly between 0 and {@code maxKillMs} after the child's start report,
 *       or, in one cycle of four, 0.2 to 1.7 s after the child was started (during its opening, migration check
 *       and first close/reopen). {@code first}: 0 to {@code maxKillMs} after the child's first or second
 *       non-empty synced commit.</li>
 *   <li>{@code busyThreads} spin to load the CPU, as on the machine where the loss was first seen.</li>
 *   <li>Every {@code cyclesPerDb} cycles a fresh database is started, so that reopening stays fast.</li>
 *   <li>{@code retentionMs} &ge; 0 sets the fresh database's {@code RETENTION_TIME} (persistent, so the child
 *       inherits it); 0 makes freed space reusable at once, as it is in production after 45 s.</li>
 * </ul>
 * Prints one line per cycle and a summary; the exit code is 1 when any cycle lost acknowledged rows.
 */
public final class StoreCrashStress {
    private StoreCrashStress() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        int busy = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        int maxKillMs = args.length > 4 ? Integer.parseInt(args[4]) : 900;
        int perDb = args.length > 5 ? Integer.parseInt(args[5]) : 12;
        String mode = args.length > 6 ? args[6] : "random";
        int retentionMs = args.length > 7 ? Integer.parseInt(args[7]) : -1;
        Path dir = out.resolve("db");
        Random random = new Random(seed);
        for (int k = 0; k < busy; k++) {
            Thread.ofPlatform().daemon(true).start(() -> {
                long x = 0;
                while (true) {
                    x += System.nanoTime() % 7;
                    if (x == 42) {
                        System.out.print("");
                    }
                }
            });
        }
        long totalBeats = 0;
        long totalEvents = 0;
        int failures = 0;
        int earlyKills = 0;
        long t00 = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            if (i % perDb == 0) {
                delete(dir);
                delete(out.resolve("post"));
                Files.createDirectories(dir);
                if (retentionMs >= 0) {
                    try (Connection c = StoreDatabase.open(dir, Instant.now()); Statement st = c.createStatement()) {
                        st.execute("SET RETENTION_TIME " + retentionMs);
                    }
                }
                totalBeats = 0;
                totalEvents = 0;
            }
            CrashWriterChild child = CrashWriterChild.start(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto"), dir);
            boolean early = mode.equals("random") && random.nextInt(4) == 0;
            String phase;
            if (early) {
                earlyKills++;
                Thread.sleep(200 + random.nextInt(1500));
                phase = "early, commits=" + child.commits;
            } else {
                if (!child.awaitCommits(mode.equals("first") ? 2 + random.nextInt(2) : 1, 30_000)) {
                    System.out.println("cycle " + i + ": child committed nothing; log:\n" + child.jvm.log());
                    child.jvm.process.destroyForcibly();
                    child.jvm.process.waitFor(10, TimeUnit.SECONDS);
                    continue;
                }
                Thread.sleep(random.nextInt(maxKillMs + 1));
                phase = "after first commit, commits=" + child.commits;
            }
            child.jvm.process.toHandle().destroyForcibly();
            if (!child.jvm.process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child did not die");
            }
            child.jvm.reader.join(5_000);
            if (child.error != null) {
                throw new IllegalStateException("child reported " + child.error + "\n" + child.jvm.log());
            }
            long ackBeats = Math.max(child.beatEnd, 0);
            long ackEvents = Math.max(child.eventEnd, 0);
            Path pre = out.resolve("pre");
            copy(dir, pre);
            String problem = null;
            long beats = -1;
            long events = -1;
            try (Connection c = StoreDatabase.open(dir, Instant.now()); Statement st = c.createStatement()) {
                long[] b = sequence(st, "beats", "sample");
                long[] e = sequence(st, "events", "onset_sample");
                beats = b[0];
                events = e[0];
                if (b[0] != b[1] || b[2] != b[0] || b[3] != 0) {
                    problem = "beats not a gap-free sequence from 0: " + java.util.Arrays.toString(b);
                } else if (e[0] != e[1] || e[2] != e[0] || e[3] != 0) {
                    problem = "events not a gap-free sequence from 0: " + java.util.Arrays.toString(e);
                } else if (beats < ackBeats || events < ackEvents) {
                    problem = "acknowledged rows lost: beats " + beats + " < ack " + ackBeats + " or events "
                            + events + " < ack " + ackEvents;
                } else if (beats < totalBeats || events < totalEvents) {
                    problem = "rows of earlier cycles lost: beats " + beats + " < " + totalBeats;
                } else if (child.beat0 >= 0 && child.beat0 != totalBeats) {
                    // the child saw fewer rows than this JVM had verified and closed cleanly
                    problem = "the child opened the cleanly closed database with beats up to " + child.beat0
                            + ", not " + totalBeats;
                }
                for (String t : StoreBackup.TABLES) {
                    StoreScan.scanEveryColumn(st, t);
                }
            } catch (Exception | AssertionError ex) {
                problem = "reopen failed: " + ex;
            }
            System.out.printf("cycle %4d (%s): ack beats %d (child started at %d), stored %d; events ack %d stored %d; "
                            + "file %d KiB%s%n", i, phase, ackBeats, child.beat0, beats, ackEvents, events,
                    Files.size(StoreDatabase.file(dir)) / 1024, problem == null ? "" : "  ** FAIL: " + problem);
            if (problem != null) {
                failures++;
                Path keep = out.resolve("fail-" + i);
                copy(pre, keep.resolve("as-killed"));
                if (Files.isDirectory(out.resolve("post"))) {
                    copy(out.resolve("post"), keep.resolve("previous-clean-close"));
                }
                copy(dir, keep.resolve("after-reopen"));
                Files.writeString(keep.resolve("child.log"), problem + "\nack beats " + ackBeats + " events "
                        + ackEvents + "\n" + child.jvm.log());
            }
            if (beats >= 0) {
                totalBeats = beats;
                totalEvents = events;
            }
            copy(dir, out.resolve("post"));
        }
        double secs = (System.nanoTime() - t00) / 1e9;
        System.out.printf("SUMMARY: %d cycles (%d early kills), %d with lost or unreadable rows, %.0f s, "
                        + "final beats %d, file %d KiB%n", cycles, earlyKills, failures, secs, totalBeats,
                Files.size(StoreDatabase.file(dir)) / 1024);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void delete(Path d) throws IOException {
        if (Files.isDirectory(d)) {
            try (var files = Files.list(d)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(d);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** {rows, max+1, distinct, min} of a sequence column. */
    private static long[] sequence(Statement st, String table, String column) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COALESCE(MAX(" + column + ") + 1, 0), COUNT(DISTINCT "
                + column + "), COALESCE(MIN(" + column + "), 0) FROM " + table)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }
}
