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
 * Prints the delineation error tables on QTDB against the cardiologists' {@code .q1c} marks: for every record with a
 * {@code .q1c} file, the errors (found - cardiologist, ms) of P onset/peak/offset, QRS onset/offset, T peak/offset
 * over the annotated beats whose R our detector found within 150 ms, for
 * <ul>
 * <li>ours on lead 0 alone;</li>
 * <li>ours with the two-lead rule of {@link QtdbDelineation#combine} (usable live: no reference involved);</li>
 * <li>ours, best lead per beat: each lead delineated on its own, and for each annotated boundary the lead whose mark
 * lies nearer the cardiologist's (the protocol of Laguna et al. 1994 and Martinez et al. 2004 for the QT database,
 * whose annotators marked each boundary looking at both leads; it uses the reference, so it is an evaluation
 * protocol, not something a monitor can do);</li>
 * <li>ecgpuwave ({@code .pu0}, lead 0) and ecgpuwave best lead per beat ({@code .pu0} and {@code .pu1}), on the same
 * annotated beats.</li>
 * </ul>
 * Two statistics: pooled (mean and SD of all beats' errors together, with the share of reference marks that got a
 * mark) and per record as Martinez et al. (2004) report them: the mean of the records' mean errors and the mean of
 * the records' SDs (records with at least two errors for that boundary). A third table gives the median, the
 * interquartile range and the share of beats within the CSE tolerance, since a few gross errors dominate the SD.
 *
 * <p>Not a test: after {@code ./mvnw -o -q -pl realtime-dsp test-compile}, run from {@code realtime-dsp/}:
 * {@code java -cp target/classes:target/test-classes:<signal-model jar>
 * org.cardiogate.dsp.delineation.QtdbDelineationReport ../../shared/data/qtdb [--split] [records...]}, with the
 * signal-model and HdrHistogram jars from {@code ~/.m2/repository}. {@code -Ddelineation.perRecord=true} adds one line
 * per record. {@code --split} adds the pooled and per-record tables of each half of the records with {@code .q1c}
 * (positions in {@code RECORDS} order): the even positions, on which the delineator's thresholds were chosen, and the
 * odd positions, held out, so that the figures on unseen records can be told apart from those on the tuning records.
 */
public final class QtdbDelineationReport {
    private static final String[] COLUMNS = {"ours, lead 0", "ours, 2-lead rule", "ours, best lead", "ecgpuwave .pu0",
        "ecgpuwave, best lead"};

    private QtdbDelineationReport() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        boolean split = false;
        for (String a : args) {
            if (a.equals("--split")) {
                split = true;
            } else {
                rest.add(a);
            }
        }
        Path dir = Path.of(rest.isEmpty() ? "../shared/data/qtdb" : rest.get(0));
        List<String> names = new ArrayList<>(rest.size() > 1 ? rest.subList(1, rest.size()) : List.of());
        if (names.isEmpty()) {
            names.addAll(recordsWithQ1c(dir));
        }
        boolean perRecord = Boolean.getBoolean("delineation.perRecord");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        List<Future<QtdbDelineation.Errors[]>> futures = new ArrayList<>();
        for (String name : names) {
            futures.add(pool.submit(() -> score(dir, name)));
        }
        List<QtdbDelineation.Errors[]> results = new ArrayList<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                QtdbDelineation.Errors[] e = futures.get(i).get();
                results.add(e);
                if (perRecord) {
                    System.out.printf(Locale.ROOT, "%-9s lead 0: QRSon %s QRSoff %s Toff %s Pon %s | best lead: QRSon %s "
                            + "Toff %s Pon %s%n", names.get(i), cell(e[0], QtdbDelineation.QRS_ON),
                            cell(e[0], QtdbDelineation.QRS_OFF), cell(e[0], QtdbDelineation.T_OFF),
                            cell(e[0], QtdbDelineation.P_ON), cell(e[2], QtdbDelineation.QRS_ON),
                            cell(e[2], QtdbDelineation.T_OFF), cell(e[2], QtdbDelineation.P_ON));
                }
            }
        } finally {
            pool.shutdown();
        }
        tables("all records", results, -1, true);
        if (split) {
            tables("tuning half (even positions 0, 2, 4, ... of the records with .q1c, in RECORDS order)", results, 0,
                    false);
            tables("held-out half (odd positions 1, 3, 5, ...; never used to choose a threshold)", results, 1, false);
        }
    }

    /**
     * The records of {@code dir}'s {@code RECORDS} file that have cardiologists' marks ({@code .q1c}), in that order.
     * Thresholds of the delineator are chosen on those at even positions (0, 2, 4, ...) only; the odd positions are
     * the held-out half (see {@link #inTuningHalf}).
     */
    static List<String> recordsWithQ1c(Path dir) throws java.io.IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("RECORDS"))) {
            String name = line.strip();
            if (!name.isEmpty() && Files.exists(dir.resolve(name + ".q1c"))) {
                names.add(name);
            }
        }
        return names;
    }

    /** Whether the record at {@code position} of {@link #recordsWithQ1c} belongs to the half thresholds were chosen on. */
    static boolean inTuningHalf(int position) {
        return position % 2 == 0;
    }

    /** Prints the tables over the records at positions of the given parity (0 even, 1 odd, -1 all). */
    private static void tables(String title, List<QtdbDelineation.Errors[]> results, int parity, boolean robustTable) {
        QtdbDelineation.Errors[] total = new QtdbDelineation.Errors[COLUMNS.length];
        for (int c = 0; c < total.length; c++) {
            total[c] = new QtdbDelineation.Errors();
        }
        int records = 0;
        for (int i = 0; i < results.size(); i++) {
            if (parity >= 0 && i % 2 != parity) {
                continue;
            }
            records++;
            for (int c = 0; c < total.length; c++) {
                total[c].merge(results.get(i)[c]);
            }
        }
        QtdbDelineation.Errors ours = total[0];
        System.out.printf(Locale.ROOT, "%n=== %s%nQTDB delineation against .q1c: %d records, %d annotated beats, %d "
                + "matched (detected R within %.0f ms); errors = found - cardiologist, ms%n", title, records,
                ours.annotatedBeats, ours.matchedBeats, QtdbDelineation.MATCH_SECONDS * 1000);
        System.out.printf(Locale.ROOT, "%nPooled over beats: n (share of marks found) mean SD%n");
        header("CSE 2SD");
        for (int k = 0; k < QtdbDelineation.NAMES.length; k++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s %5d", QtdbDelineation.NAMES[k],
                    ours.referenceMarks[k]));
            for (QtdbDelineation.Errors e : total) {
                row.append(" | ").append(String.format(Locale.ROOT, "%-22s", pooled(e, k)));
            }
            System.out.println(row.append(" | ").append(tolerance(k)));
        }
        System.out.printf(Locale.ROOT, "%nMartinez et al. 2004: mean of the records' mean errors, mean of the records' "
                + "SDs (records with >= 2 errors)%n");
        header("CSE 2SD");
        for (int k = 0; k < QtdbDelineation.NAMES.length; k++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s %5d", QtdbDelineation.NAMES[k],
                    ours.referenceMarks[k]));
            for (QtdbDelineation.Errors e : total) {
                row.append(" | ").append(String.format(Locale.ROOT, "%-22s", martinez(e, k)));
            }
            System.out.println(row.append(" | ").append(tolerance(k)));
        }
        if (!robustTable) {
            return;
        }
        System.out.printf(Locale.ROOT, "%nRobust, pooled: median, IQR (ms), share of beats with |error| within the CSE "
                + "tolerance%n");
        header("");
        for (int k = 0; k < QtdbDelineation.NAMES.length; k++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s %5d", QtdbDelineation.NAMES[k],
                    ours.referenceMarks[k]));
            for (QtdbDelineation.Errors e : total) {
                row.append(" | ").append(String.format(Locale.ROOT, "%-22s", robust(e, k,
                        QtdbDelineation.CSE_TOLERANCE_MS[k])));
            }
            System.out.println(row);
        }
    }

    private static void header(String last) {
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-10s %5s", "fiducial", "marks"));
        for (String c : COLUMNS) {
            h.append(" | ").append(String.format(Locale.ROOT, "%-22s", c));
        }
        System.out.println(h.append(last.isEmpty() ? "" : " | " + last));
    }

    private static String tolerance(int k) {
        double tol = QtdbDelineation.CSE_TOLERANCE_MS[k];
        return Double.isNaN(tol) ? "-" : String.format(Locale.ROOT, "%.1f", tol);
    }

    private static String cell(QtdbDelineation.Errors e, int k) {
        if (e.count[k] < 2) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%5d %6.1f %6.1f", e.count[k], e.mean(k), e.sd(k));
    }

    private static String pooled(QtdbDelineation.Errors e, int k) {
        if (e.count[k] < 2) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%4d (%3.0f%%) %5.1f %5.1f", e.count[k],
                100.0 * e.count[k] / Math.max(1, e.referenceMarks[k]), e.mean(k), e.sd(k));
    }

    private static String martinez(QtdbDelineation.Errors e, int k) {
        if (e.recordsWith(k, 2) == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%3d rec %5.2f %5.2f", e.recordsWith(k, 2), e.recordMeanOfMeans(k),
                e.recordMeanOfSds(k));
    }

    private static String robust(QtdbDelineation.Errors e, int k, double toleranceMs) {
        if (e.count[k] < 2) {
            return "n/a";
        }
        String share = Double.isNaN(toleranceMs) ? "   -"
                : String.format(Locale.ROOT, "%3.0f%%", 100 * e.shareWithin(k, toleranceMs));
        return String.format(Locale.ROOT, "%6.1f %6.1f %s", e.median(k), e.iqr(k), share);
    }

    /** The five columns of one record. */
    static QtdbDelineation.Errors[] score(Path dir, String name) throws Exception {
        Path record = dir.resolve(name);
        long[][] reference = QtdbDelineation.referenceBeats(AnnotationReader.read(record, "q1c"));
        QtdbDelineation.Run run = QtdbDelineation.run(record);
        double fs = run.record().samplingFrequency();
        long[][][] leads = run.leads();
        QtdbDelineation.Errors lead0 = new QtdbDelineation.Errors();
        lead0.add(reference, leads[0], fs);
        QtdbDelineation.Errors rule = new QtdbDelineation.Errors();
        rule.add(reference, leads.length > 1 ? QtdbDelineation.combine(leads[0], leads[1]) : leads[0], fs);
        QtdbDelineation.Errors best = new QtdbDelineation.Errors();
        best.addBestOf(reference, fs, leads);
        // ecgpuwave only on the annotated beats our detector also found, so that all columns cover the same beats
        long window = Math.round(QtdbDelineation.MATCH_SECONDS * fs);
        List<long[]> matched = new ArrayList<>();
        for (long[] ref : reference) {
            if (QtdbDelineation.nearest(leads[0], ref[QtdbDelineation.R], window) != null) {
                matched.add(ref);
            }
        }
        long[][] same = matched.toArray(new long[0][]);
        long[][] pu0 = QtdbDelineation.referenceBeats(AnnotationReader.read(record, "pu0"));
        QtdbDelineation.Errors puwave = new QtdbDelineation.Errors();
        puwave.add(same, pu0, fs);
        QtdbDelineation.Errors puBest = new QtdbDelineation.Errors();
        if (Files.exists(dir.resolve(name + ".pu1"))) {
            puBest.addBestOf(same, fs, pu0, QtdbDelineation.referenceBeats(AnnotationReader.read(record, "pu1")));
        } else {
            puBest.add(same, pu0, fs);
        }
        return new QtdbDelineation.Errors[] {lead0, rule, best, puwave, puBest};
    }
}
