package org.cardiogate.inference.beat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.wfdb.AnnotationReader;

/**
 * Offline evaluation of the beat classifier on annotated records, with the live code: {@link RecordFeatures} (the
 * QRS detector and the feature extractor, block by block) and a {@link BeatClassifier}. Each reference beat is
 * matched to the nearest detection within 150 ms (each detection used once); the table counts reference class
 * against predicted class.
 *
 * <p>Definitions: Se of class c = beats of class c predicted c / all reference beats of class c, so beats the
 * detector missed count against it (column "missed"); +P = beats predicted c whose reference is c / all matched
 * detections predicted c. Detections with no reference beat are counted per predicted class apart ("extra").
 * Detected beats the feature extractor could not complete (none in practice; e.g. at a gap) count as predicted Q.
 */
public final class BeatClassEvaluation {
    private static final int K = AamiClass.values().length;
    private static final double MATCH_SECONDS = 0.150;

    /**
     * The confusion table.
     *
     * @param counts  [reference class][predicted class] over matched beats
     * @param missed  reference beats of each class no detection matched
     * @param extra   detections with no reference beat, by predicted class
     * @param records records evaluated
     */
    public record Table(long[][] counts, long[] missed, long[] extra, List<String> records) {
        public Table {
            counts = Arrays.stream(counts).map(long[]::clone).toArray(long[][]::new);
            missed = missed.clone();
            extra = extra.clone();
            records = List.copyOf(records);
        }

        static Table empty() {
            return new Table(new long[K][K], new long[K], new long[K], List.of());
        }

        Table plus(Table o) {
            long[][] c = new long[K][K];
            long[] m = new long[K];
            long[] e = new long[K];
            for (int i = 0; i < K; i++) {
                for (int j = 0; j < K; j++) {
                    c[i][j] = counts[i][j] + o.counts[i][j];
                }
                m[i] = missed[i] + o.missed[i];
                e[i] = extra[i] + o.extra[i];
            }
            List<String> r = new ArrayList<>(records);
            r.addAll(o.records);
            return new Table(c, m, e, r);
        }

        /** Reference beats of class {@code c}, matched or not. */
        public long referenceTotal(AamiClass c) {
            return Arrays.stream(counts[c.ordinal()]).sum() + missed[c.ordinal()];
        }

        /** Sensitivity of class {@code c} in percent, NaN without reference beats of it. */
        public double sensitivity(AamiClass c) {
            long d = referenceTotal(c);
            return d == 0 ? Double.NaN : 100.0 * counts[c.ordinal()][c.ordinal()] / d;
        }

        /** Positive predictivity of class {@code c} in percent, NaN when nothing was predicted c. */
        public double positivePredictivity(AamiClass c) {
            long d = 0;
            for (int i = 0; i < K; i++) {
                d += counts[i][c.ordinal()];
            }
            return d == 0 ? Double.NaN : 100.0 * counts[c.ordinal()][c.ordinal()] / d;
        }

        /** Accuracy over matched beats in percent. */
        public double accuracy() {
            long all = 0;
            long right = 0;
            for (int i = 0; i < K; i++) {
                for (int j = 0; j < K; j++) {
                    all += counts[i][j];
                }
                right += counts[i][i];
            }
            return all == 0 ? Double.NaN : 100.0 * right / all;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%-10s %8s %8s %8s %8s %8s %8s %8s %8s%n", "ref\\pred", "N", "S", "V",
                    "F", "Q", "missed", "Se %", "+P %"));
            for (AamiClass c : AamiClass.values()) {
                long[] row = counts[c.ordinal()];
                b.append(String.format(Locale.ROOT, "%-10s %8d %8d %8d %8d %8d %8d %8.2f %8.2f%n", c.name(), row[0],
                        row[1], row[2], row[3], row[4], missed[c.ordinal()], sensitivity(c), positivePredictivity(c)));
            }
            b.append(String.format(Locale.ROOT, "%-10s %8d %8d %8d %8d %8d%n", "extra", extra[0], extra[1], extra[2],
                    extra[3], extra[4]));
            b.append(String.format(Locale.ROOT, "accuracy over matched beats %.2f %%, %d records", accuracy(),
                    records.size()));
            return b.toString();
        }
    }

    private final BeatClassifier classifier;
    private final int batch;

    public BeatClassEvaluation(BeatClassifier classifier, int batch) {
        this.classifier = classifier;
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        this.batch = batch;
    }

    /** Evaluates records of a directory ({@code dir/<name>} with {@code .hea}, {@code .dat}, {@code .atr}). */
    public Table evaluate(Path dir, List<String> records) throws IOException, BeatClassifierException {
        Table total = Table.empty();
        for (String r : records) {
            total = total.plus(evaluate(dir.resolve(r)));
        }
        return total;
    }

    /** Evaluates one record (path without extension). */
    public Table evaluate(Path record) throws IOException, BeatClassifierException {
        RecordFeatures f = RecordFeatures.of(record);
        AamiClass[] predicted = classify(f);
        long[] detected = f.detected();
        AamiClass[] predictedAtDetection = new AamiClass[detected.length];
        for (int d = 0, b = 0; d < detected.length; d++) {
            while (b < f.beatCount() && f.rSamples()[b] < detected[d]) {
                b++;
            }
            predictedAtDetection[d] = b < f.beatCount() && f.rSamples()[b] == detected[d] ? predicted[b] : AamiClass.Q;
        }
        var annotations = AnnotationReader.read(record, "atr");
        AamiClass[] reference = RecordFeatures.referenceClasses(detected, annotations, f.rateHz(), MATCH_SECONDS);
        long[][] counts = new long[K][K];
        long[] extra = new long[K];
        long[] matchedPerClass = new long[K];
        for (int d = 0; d < detected.length; d++) {
            if (reference[d] == null) {
                extra[predictedAtDetection[d].ordinal()]++;
            } else {
                counts[reference[d].ordinal()][predictedAtDetection[d].ordinal()]++;
                matchedPerClass[reference[d].ordinal()]++;
            }
        }
        long[] missed = new long[K];
        for (var a : annotations) {
            AamiClass c = a.isBeat() ? AamiClass.fromMitSymbol(a.symbol()) : null;
            if (c != null) {
                missed[c.ordinal()]++;
            }
        }
        for (int c = 0; c < K; c++) {
            missed[c] -= matchedPerClass[c];
        }
        return new Table(counts, missed, extra, List.of(f.record()));
    }

    /** The predicted class of every beat with features in {@code f}. */
    public AamiClass[] classify(RecordFeatures f) throws BeatClassifierException {
        int n = f.beatCount();
        int win = BeatFeatures.CHANNELS * BeatFeatures.WINDOW;
        AamiClass[] out = new AamiClass[n];
        float[] w = new float[batch * win];
        float[] r = new float[batch * BeatFeatures.RR_FEATURES];
        float[] p = new float[batch * K];
        for (int start = 0; start < n; start += batch) {
            int m = Math.min(batch, n - start);
            System.arraycopy(f.windows(), start * win, w, 0, m * win);
            System.arraycopy(f.rr(), start * BeatFeatures.RR_FEATURES, r, 0, m * BeatFeatures.RR_FEATURES);
            classifier.classify(w, r, m, p);
            for (int i = 0; i < m; i++) {
                out[start + i] = AamiClass.values()[OnnxBeatClassifier.argmax(p, i)];
            }
        }
        return out;
    }

    /**
     * Usage: {@code BeatClassEvaluation <mitdb dir> (DS1 | DS2 | record...) [--model <manifest.json>]}. Prints the
     * table; the shipped model is used unless {@code --model} is given.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BeatClassEvaluation <mitdb dir> (DS1 | DS2 | record...) [--model manifest.json]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<String> records = new ArrayList<>();
        Path model = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "DS1" -> records.addAll(MitBihSplit.DS1);
                case "DS2" -> records.addAll(MitBihSplit.DS2);
                case "--model" -> model = Path.of(args[++i]);
                default -> records.add(args[i]);
            }
        }
        try (OnnxBeatClassifier c = model == null ? OnnxBeatClassifier.loadDefault(InferenceConfig.CPU)
                : OnnxBeatClassifier.load(model, InferenceConfig.CPU)) {
            System.out.println("model " + c.description() + ", records " + records);
            Table t = new BeatClassEvaluation(c, 64).evaluate(dir, records);
            System.out.println(t);
        }
    }
}
