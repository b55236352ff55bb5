package org.cardiogate.dsp.delineation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cardiogate.signal.wfdb.AnnotationReader;

/**
 * Prints the delineation error table on QTDB: for every record with a {@code .q1c} file, mean and SD of (found -
 * cardiologist) in ms for P onset/peak/offset, QRS onset/offset, T peak/offset, over the annotated beats whose R was
 * detected within 150 ms, for our delineator on lead 0, on both leads combined ({@link QtdbDelineation#combine}), and
 * for ecgpuwave's {@code .pu0} (lead 0) on the same annotated beats. Not a test: after {@code ./mvnw -o -q -pl
 * realtime-dsp test-compile}, run from {@code realtime-dsp/}:
 * {@code java -cp target/classes:target/test-classes:<signal-model jar>
 * org.cardiogate.dsp.delineation.QtdbDelineationReport ../../shared/data/qtdb [records...]}, with the signal-model jar
 * from {@code ~/.m2/repository/org/cardiogate/signal-model/0.1.0-SNAPSHOT/}. {@code -Ddelineation.perRecord=true}
 * adds one line per record. A second table gives the median and interquartile range of the errors and the share of
 * beats whose |error| is within the CSE tolerance, since a few gross errors dominate the SD.
 */
public final class QtdbDelineationReport {
    private QtdbDelineationReport() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/qtdb");
        List<String> names = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
            names.add(args[a]);
        }
        if (names.isEmpty()) {
            for (String line : Files.readAllLines(dir.resolve("RECORDS"))) {
                String name = line.strip();
                if (!name.isEmpty() && Files.exists(dir.resolve(name + ".q1c"))) {
                    names.add(name);
                }
            }
        }
        boolean perRecord = Boolean.getBoolean("delineation.perRecord");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        List<Future<QtdbDelineation.Errors[]>> futures = new ArrayList<>();
        for (String name : names) {
            futures.add(pool.submit(() -> score(dir, name)));
        }
        QtdbDelineation.Errors ours = new QtdbDelineation.Errors();
        QtdbDelineation.Errors both = new QtdbDelineation.Errors();
        QtdbDelineation.Errors puwave = new QtdbDelineation.Errors();
        for (int i = 0; i < names.size(); i++) {
            QtdbDelineation.Errors[] e = futures.get(i).get();
            merge(ours, e[0]);
            merge(both, e[1]);
            merge(puwave, e[2]);
            if (perRecord) {
                System.out.printf(Locale.ROOT, "%-9s QRSon %s QRSoff %s Toff %s Pon %s%n", names.get(i),
                        cell(e[0], QtdbDelineation.QRS_ON), cell(e[0], QtdbDelineation.QRS_OFF),
                        cell(e[0], QtdbDelineation.T_OFF), cell(e[0], QtdbDelineation.P_ON));
            }
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "QTDB delineation against .q1c: %d records, %d annotated beats, %d matched "
                + "(detected R within %.0f ms)%n", names.size(), ours.annotatedBeats, ours.matchedBeats,
                QtdbDelineation.MATCH_SECONDS * 1000);
        System.out.printf(Locale.ROOT, "%-11s %6s | %-24s | %-24s | %-24s | %s%n", "fiducial", "marks",
                "ours, lead 0: n mean SD", "ours, 2 leads: n mean SD", "ecgpuwave .pu0: n mean SD", "CSE 2SD");
        for (int k = 0; k < QtdbDelineation.NAMES.length; k++) {
            double tol = QtdbDelineation.CSE_TOLERANCE_MS[k];
            System.out.printf(Locale.ROOT, "%-11s %6d | %-24s | %-24s | %-24s | %s%n", QtdbDelineation.NAMES[k],
                    ours.referenceMarks[k], cell(ours, k), cell(both, k), cell(puwave, k),
                    Double.isNaN(tol) ? "-" : String.format(Locale.ROOT, "%.1f", tol));
        }
        System.out.printf(Locale.ROOT, "%nRobust statistics: median and IQR of the error (ms), share of beats with "
                + "|error| within the CSE tolerance%n");
        System.out.printf(Locale.ROOT, "%-11s | %-24s | %-24s | %-24s%n", "fiducial",
                "ours, lead 0: med IQR in", "ours, 2 leads: med IQR in", "ecgpuwave: med IQR in");
        for (int k = 0; k < QtdbDelineation.NAMES.length; k++) {
            double tol = QtdbDelineation.CSE_TOLERANCE_MS[k];
            System.out.printf(Locale.ROOT, "%-11s | %-24s | %-24s | %-24s%n", QtdbDelineation.NAMES[k],
                    robust(ours, k, tol), robust(both, k, tol), robust(puwave, k, tol));
        }
    }

    private static String cell(QtdbDelineation.Errors e, int k) {
        if (e.count[k] < 2) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%5d %6.1f %6.1f", e.count[k], e.mean(k), e.sd(k));
    }

    private static String robust(QtdbDelineation.Errors e, int k, double toleranceMs) {
        if (e.count[k] < 2) {
            return "n/a";
        }
        String share = Double.isNaN(toleranceMs) ? "   -"
                : String.format(Locale.ROOT, "%3.0f%%", 100 * e.shareWithin(k, toleranceMs));
        return String.format(Locale.ROOT, "%6.1f %6.1f %s", e.median(k), e.iqr(k), share);
    }

    private static QtdbDelineation.Errors[] score(Path dir, String name) throws Exception {
        Path record = dir.resolve(name);
        long[][] reference = QtdbDelineation.referenceBeats(AnnotationReader.read(record, "q1c"));
        long[][] pu0 = QtdbDelineation.referenceBeats(AnnotationReader.read(record, "pu0"));
        QtdbDelineation.Run run = QtdbDelineation.run(record);
        double fs = run.record().samplingFrequency();
        QtdbDelineation.Errors ours = new QtdbDelineation.Errors();
        ours.add(reference, run.leads()[0], fs);
        QtdbDelineation.Errors both = new QtdbDelineation.Errors();
        both.add(reference, run.leads().length > 1
                ? QtdbDelineation.combine(run.leads()[0], run.leads()[1]) : run.leads()[0], fs);
        // ecgpuwave only on the annotated beats our detector also found, so that both columns cover the same beats
        QtdbDelineation.Errors puwave = new QtdbDelineation.Errors();
        long window = Math.round(QtdbDelineation.MATCH_SECONDS * fs);
        List<long[]> matched = new ArrayList<>();
        for (long[] ref : reference) {
            if (QtdbDelineation.nearest(run.leads()[0], ref[QtdbDelineation.R], window) != null) {
                matched.add(ref);
            }
        }
        puwave.add(matched.toArray(new long[0][]), pu0, fs);
        return new QtdbDelineation.Errors[] {ours, both, puwave};
    }

    private static void merge(QtdbDelineation.Errors into, QtdbDelineation.Errors from) {
        into.annotatedBeats += from.annotatedBeats;
        into.matchedBeats += from.matchedBeats;
        for (int k = 0; k < QtdbDelineation.NAMES.length; k++) {
            into.referenceMarks[k] += from.referenceMarks[k];
            for (int i = 0; i < from.count[k]; i++) {
                if (into.count[k] == into.values[k].length) {
                    into.values[k] = java.util.Arrays.copyOf(into.values[k], 2 * into.count[k]);
                }
                into.values[k][into.count[k]++] = from.values[k][i];
            }
        }
    }
}
