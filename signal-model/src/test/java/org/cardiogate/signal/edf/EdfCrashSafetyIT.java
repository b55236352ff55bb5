package org.cardiogate.signal.edf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that is writing an EDF+ file with SIGKILL and checks that the file opens, its header counts the
 * complete data records, and at most the last record is lost.
 */
class EdfCrashSafetyIT {
    @TempDir
    Path tmp;

    private static final int RECORD_BYTES = 2 * (500 + 500 + 100) + EdfRecordingSpec.defaultAnnotationBytes(1.0);
    private static final int HEADER_BYTES = 256 * 5;

    private record Killed(Path file, long lastPrinted) {
    }

    private Killed writeAndKill(String name, int killAfterRecords, int forceEvery, int pauseMillis) throws Exception {
        Path file = tmp.resolve(name);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EdfCrashWriterMain.class.getName(), file.toString(), Integer.toString(forceEvery),
                Integer.toString(pauseMillis))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long last = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("records ")) {
                    last = Long.parseLong(line.substring(8));
                    if (last >= killAfterRecords) {
                        // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the pipe,
                        // losing the counts the child printed just before it died
                        assertThat(p.toHandle().destroyForcibly()).isTrue();
                        break;
                    }
                }
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("child exits after SIGKILL").isTrue();
            // lines the child printed before it died are still in the pipe
            while ((line = r.readLine()) != null) {
                if (line.startsWith("records ")) {
                    last = Long.parseLong(line.substring(8));
                }
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(last).as("records the child reported before it was killed").isGreaterThanOrEqualTo(killAfterRecords);
        return new Killed(file, last);
    }

    private static void assertRecoverable(Killed k) throws Exception {
        long size = Files.size(k.file());
        long inFile = (size - HEADER_BYTES) / RECORD_BYTES;
        String countField = new String(Files.readAllBytes(k.file()), 236, 8, StandardCharsets.US_ASCII).strip();
        long declared = Long.parseLong(countField);
        System.out.printf("%s: child reported %d records; header counts %d; file holds %d complete records and %d"
                + " bytes of a partial one%n", k.file().getFileName(), k.lastPrinted(), declared, inFile,
                (size - HEADER_BYTES) % RECORD_BYTES);
        assertThat(declared).as("header count vs records the child completed").isBetween(k.lastPrinted(),
                k.lastPrinted() + 1);
        assertThat(inFile - declared).as("complete records beyond the header count").isBetween(0L, 1L);

        EdfFile f = EdfReader.read(k.file());
        assertThat(f.recordCountRepaired()).isFalse();
        assertThat(f.dataRecords()).isEqualTo(declared);
        for (int s = 0; s < 3; s++) {
            double[] x = f.physical(s);
            assertThat(x).hasSize((int) declared * f.signal(s).samplesPerRecord());
            double tolerance = f.signal(s).resolution() / 2 + 1e-12;
            for (int i = 0; i < x.length; i++) {
                if (!(Math.abs(x[i] - EdfCrashWriterMain.value(s, i)) <= tolerance)) {
                    assertThat(x[i]).as("signal %d sample %d", s, i)
                            .isCloseTo(EdfCrashWriterMain.value(s, i), within(tolerance));
                }
            }
        }
        List<EdfAnnotation> beats = f.annotations();
        for (int b = 0; b < beats.size(); b++) {
            assertThat(beats.get(b)).isEqualTo(new EdfAnnotation(EdfCrashWriterMain.FIRST_BEAT
                    + b * EdfCrashWriterMain.BEAT_PERIOD, Double.NaN, "N"));
        }
        // a beat is annotated once its samples are written, so it lands in its own record or the next one
        long beatsBeforeLastRecord = (long) Math.ceil((declared - 1 - EdfCrashWriterMain.FIRST_BEAT)
                / EdfCrashWriterMain.BEAT_PERIOD);
        assertThat((long) beats.size()).isGreaterThanOrEqualTo(beatsBeforeLastRecord);
    }

    @Test
    void aWriterKilledWithSigkillLeavesAFileThatOpensWithAtMostTheLastRecordLost() throws Exception {
        // without a pause the child is killed while it writes, usually hundreds of records past the threshold
        int[] killAfter = {3, 41, 97, 50, 200};
        int[] forceEvery = {1, 0, 10, 0, 0};
        int[] pauseMillis = {2, 2, 2, 0, 0};
        for (int i = 0; i < killAfter.length; i++) {
            assertRecoverable(writeAndKill("killed-" + i + ".edf", killAfter[i], forceEvery[i], pauseMillis[i]));
        }
    }

    @Test
    void mneOpensAFileWhoseWriterWasKilled() throws Exception {
        Mne.assumeAvailable();
        Killed k = writeAndKill("killed-mne.edf", 25, 5, 2);
        assertRecoverable(k);
        EdfFile ours = EdfReader.read(k.file());
        Mne.Result r = Mne.read(k.file(), 0, 777);
        assertThat(r.nTimes()).isEqualTo(ours.dataRecords() * 500);
        assertThat(r.sample(0, 777) * 1e3).isCloseTo(ours.physical(0)[777], within(1e-9));
        List<EdfAnnotation> expected = new ArrayList<>();
        for (EdfAnnotation a : ours.annotations()) {
            expected.add(new EdfAnnotation(a.onsetSeconds(), 0, a.text()));
        }
        assertThat(r.annotations()).containsExactlyElementsOf(expected);
    }
}
