package org.cardiogate.signal.edf;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Child process for {@link EdfCrashSafetyIT}: writes an EDF+ recording until it is killed, printing {@code records
 * <n>} each time a data record has been completed. Arguments: the file, how often to force it to disk (records) and a pause after each record (ms).
 */
public final class EdfCrashWriterMain {
    static final double BEAT_PERIOD = 0.8;
    static final double FIRST_BEAT = 0.3;

    private EdfCrashWriterMain() {
    }

    static List<EdfSignalSpec> signals() {
        return EdfRoundTripTest.ecgEcgPpg();
    }

    static double value(int signal, long i) {
        return signal == 2 ? EdfRoundTripTest.ppg((int) i, 100) : EdfRoundTripTest.ecg(signal, (int) i, 500);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int forceEvery = Integer.parseInt(args[1]);
        int pauseMillis = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        int[] block = {37, 53, 11};
        int[] rate = {500, 500, 100};
        double[][] buf = {new double[block[0]], new double[block[1]], new double[block[2]]};
        long[] pos = new long[3];
        long beat = 0;
        long printed = 0;
        try (EdfWriter w = EdfWriter.create(file, EdfRecordingSpec.of(LocalDateTime.of(2026, 3, 14, 9, 26, 53), 1.0,
                signals()), forceEvery)) {
            out.println("started");
            out.flush();
            while (true) {
                for (int s = 0; s < 3; s++) {
                    for (int i = 0; i < block[s]; i++) {
                        buf[s][i] = value(s, pos[s] + i);
                    }
                    w.writeSamples(s, buf[s], 0, block[s]);
                    pos[s] += block[s];
                }
                double t = Math.min(pos[0] / (double) rate[0], pos[2] / (double) rate[2]);
                while (FIRST_BEAT + beat * BEAT_PERIOD < t) {
                    w.annotate(FIRST_BEAT + beat * BEAT_PERIOD, Double.NaN, "N");
                    beat++;
                }
                if (w.dataRecordsWritten() > printed) {
                    printed = w.dataRecordsWritten();
                    out.println("records " + printed);
                    out.flush();
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            }
        }
    }
}
