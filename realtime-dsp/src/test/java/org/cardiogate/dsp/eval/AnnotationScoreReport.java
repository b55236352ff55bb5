package org.cardiogate.dsp.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationReader;
import org.cardiogate.signal.wfdb.WfdbHeader;

/**
 * Scores the beat annotations another detector wrote (for example PhysioNet's {@code gqrs -o gqrs}) against the
 * reference annotations, with the same EC57 matcher as {@code bin/gateway evaluate} and {@link MitdbQrsReport}: 150 ms
 * window, ventricular flutter episodes (between {@code [} and {@code ]}) excluded, scored from the first sample. Every
 * beat annotation of the test annotator counts as a detection; non-beat annotations (gqrs writes a NOTE with its
 * command line at sample 0) are ignored. Not a test: after {@code ./mvnw -o -q -pl realtime-dsp test-compile}, run
 * with the module's test class path (see the README).
 *
 * <p>Arguments: {@code <reference dir> <test annotator> [--test-dir DIR] [record ...]}. The reference annotator is
 * {@code atr} in the reference directory, which also holds the headers (for the sampling frequency); the test
 * annotations are read from {@code DIR} (default: the reference directory). Without record names, every record with a
 * header in the reference directory is scored. Prints one row per record, the gross totals and the median offset
 * of the matched detections from the reference beats (negative: the detector marks beats early).
 */
public final class AnnotationScoreReport {
    private AnnotationScoreReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: AnnotationScoreReport <reference dir> <test annotator> [--test-dir DIR]"
                    + " [record ...]");
            System.exit(2);
        }
        Path refDir = Path.of(args[0]);
        String annotator = args[1];
        Path testDir = refDir;
        List<String> names = new ArrayList<>();
        for (int a = 2; a < args.length; a++) {
            if (args[a].equals("--test-dir")) {
                if (++a >= args.length) {
                    throw new IllegalArgumentException("--test-dir needs a directory");
                }
                testDir = Path.of(args[a]);
            } else {
                names.add(args[a]);
            }
        }
        if (names.isEmpty()) {
            names.addAll(recordsIn(refDir));
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no WFDB records (*.hea) in " + refDir);
        }
        System.out.println("record      TP    FN    FP     Se%     +P%  offset ms");
        MatchResult total = MatchResult.empty();
        for (String name : names) {
            MatchResult m = score(refDir.resolve(name), testDir.resolve(name), annotator);
            row(name, m);
            total = total.plus(m);
        }
        row("gross", total);
    }

    /**
     * Scores the beats of annotator {@code annotator} of {@code testRecord} against {@code atr} of
     * {@code referenceRecord} (both paths without extension; the header of {@code referenceRecord} gives the
     * sampling frequency).
     */
    static MatchResult score(Path referenceRecord, Path testRecord, String annotator) throws IOException {
        Path hea = referenceRecord.resolveSibling(referenceRecord.getFileName() + ".hea");
        double fs = WfdbHeader.parse(hea).samplingFrequency();
        Path testFile = testRecord.resolveSibling(testRecord.getFileName() + "." + annotator);
        if (!Files.exists(testFile)) {
            throw new IOException("no test annotations " + testFile + " (did the detector run on this record?)");
        }
        return ReferenceBeats.read(referenceRecord, "atr").score(new BeatMatcher(fs), beats(
                AnnotationReader.read(testRecord, annotator)));
    }

    /** The samples of the beat annotations among {@code annotations}, in file order. */
    static long[] beats(List<Annotation> annotations) {
        return annotations.stream().filter(Annotation::isBeat).mapToLong(Annotation::sample).toArray();
    }

    static List<String> recordsIn(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".hea"))
                    .map(f -> f.substring(0, f.length() - 4)).sorted().toList();
        }
    }

    private static void row(String name, MatchResult m) {
        System.out.printf(Locale.ROOT, "%-6s %7d %5d %5d %7.2f %7.2f %8.1f%n", name, m.truePositives(),
                m.falseNegatives(), m.falsePositives(), m.sensitivityPercent(), m.positivePredictivityPercent(),
                m.medianOffsetSeconds() * 1000);
    }
}
