package org.cardiogate.gateway.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.cardiogate.gateway.ChildJvm;

/**
 * A {@link CrashWriter} running in its own JVM, as {@link StoreCrashIT} and {@link StoreCrashStress} kill it: what it
 * reported on its console (the beats it found on opening, the beats and events committed and synced so far, an error).
 */
final class CrashWriterChild {
    final ChildJvm jvm;
    /** Beats the writer found in the database on opening; -1 until it says. */
    volatile long beat0 = -1;
    /** End (exclusive) of the beats and events committed and synced; -1 until the first commit. */
    volatile long beatEnd = -1;
    volatile long eventEnd = -1;
    volatile int commits;
    volatile String error;

    private CrashWriterChild(List<String> jvmOptions, Path dir) throws IOException {
        this.jvm = ChildJvm.start(jvmOptions, CrashWriter.class, List.of(dir.toString()), this::line);
    }

    static CrashWriterChild start(List<String> jvmOptions, Path dir) throws IOException {
        return new CrashWriterChild(jvmOptions, dir);
    }

    private boolean line(String line) {
        if (line.startsWith("committed ")) {
            String[] f = line.split(" ");
            eventEnd = Long.parseLong(f[2]);
            beatEnd = Long.parseLong(f[1]);
            commits++;
            return true;
        }
        if (line.startsWith("error")) {
            error = line;
            return true;
        }
        if (line.startsWith("started ")) {
            beat0 = Long.parseLong(line.split(" ")[1]);
            return true;
        }
        return false;
    }

    /** Waits until the writer has reported {@code n} commits; false when it died or the time ran out first. */
    boolean awaitCommits(int n, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (commits < n) {
            if (System.nanoTime() > end || !jvm.process.isAlive()) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }
}
