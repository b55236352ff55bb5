package org.cardiogate.dsp.delineation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationReader;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * Delineation of QTDB records against the cardiologists' {@code .q1c} marks: runs {@link EcgProcessor} on lead 0 and a
 * {@link BeatDelineator} per lead over a whole record, in one-second blocks as the live loop would, and scores each
 * annotated beat whose R has a detection within 150 ms. Shared by {@link QtdbDelineationReport} and the accuracy test.
 */
final class QtdbDelineation {
    static final long NONE = BeatDelineation.NONE;
    /** Fiducial columns of a beat row. */
    static final int P_ON = 0, P_PEAK = 1, P_OFF = 2, QRS_ON = 3, QRS_OFF = 4, T_PEAK = 5, T_OFF = 6, R = 7, SNR = 8, WIDTH = 9;
    static final String[] NAMES = {"P onset", "P peak", "P offset", "QRS onset", "QRS offset", "T peak", "T offset"};
    /** CSE two-SD tolerances in ms per fiducial (NaN where the CSE gives none). */
    static final double[] CSE_TOLERANCE_MS = {10.2, Double.NaN, 12.7, 6.5, 11.6, Double.NaN, 30.6};
    static final double MATCH_SECONDS = 0.15;

    private QtdbDelineation() {
    }

    /**
     * Beats of one annotation file: one row per QRS mark, columns as above, {@link #NONE} where not marked. Wave
     * boundaries {@code (} and {@code )} carry the wave type in their {@code num} field (0 P, 1 QRS, 2 T, 3 U, as in
     * the cardiologists' {@code .q1c} and ecgpuwave's {@code .pu0}/{@code .pu1}); a boundary is given to a wave only
     * when the types agree, so that an onset or offset of a wave whose peak was not marked is not taken for that of
     * the next or previous wave.
     */
    static long[][] referenceBeats(List<Annotation> annotations) {
        List<long[]> waves = new ArrayList<>();
        long pendingOnset = NONE;
        long pendingType = 0;
        long[] current = null;
        for (Annotation a : annotations) {
            String s = a.symbol();
            if (s.equals("(")) {
                if (current != null) {
                    waves.add(current);
                    current = null;
                }
                pendingOnset = a.sample();
                pendingType = waveType(a.num());
            } else if (s.equals(")")) {
                if (current != null && current[0] == waveType(a.num())) {
                    current[3] = a.sample();
                    waves.add(current);
                    current = null;
                }
                pendingOnset = NONE;
            } else {
                long type = s.equals("p") ? 'p' : s.equals("t") ? 't' : s.equals("u") ? 'u' : a.isBeat() ? 'N' : 0;
                if (type == 0) {
                    continue;
                }
                if (current != null && current[0] == 't' && type == 't') {
                    continue; // second peak of a biphasic T (ecgpuwave): the first one stands for the wave
                }
                if (current != null) {
                    waves.add(current);
                }
                current = new long[] {type, pendingType == type ? pendingOnset : NONE, a.sample(), NONE};
                pendingOnset = NONE;
            }
        }
        if (current != null) {
            waves.add(current);
        }
        List<long[]> beats = new ArrayList<>();
        for (int i = 0; i < waves.size(); i++) {
            long[] w = waves.get(i);
            if (w[0] != 'N') {
                continue;
            }
            long[] b = new long[WIDTH];
            Arrays.fill(b, NONE);
            b[R] = w[2];
            b[QRS_ON] = w[1];
            b[QRS_OFF] = w[3];
            if (i > 0 && waves.get(i - 1)[0] == 'p') {
                long[] p = waves.get(i - 1);
                b[P_ON] = p[1];
                b[P_PEAK] = p[2];
                b[P_OFF] = p[3];
            }
            if (i + 1 < waves.size() && waves.get(i + 1)[0] == 't') {
                long[] t = waves.get(i + 1);
                b[T_PEAK] = t[2];
                b[T_OFF] = t[3];
            }
            beats.add(b);
        }
        return beats.toArray(new long[0][]);
    }

    /** The wave type of a boundary's {@code num} field: 0 P, 1 QRS, 2 T, 3 U. */
    private static long waveType(int num) {
        return switch (num) {
            case 0 -> 'p';
            case 1 -> 'N';
            case 2 -> 't';
            case 3 -> 'u';
            default -> -1;
        };
    }

    /** Result of one record: delineated beats per lead (rows as above, R from the lead-0 detector). */
    record Run(WfdbRecord record, long[][][] leads) {
    }

    /** Detects on lead 0 and delineates every lead of {@code record} (the path without extension). */
    static Run run(Path recordPath) throws IOException {
        WfdbRecord rec = WfdbRecord.read(recordPath);
        double fs = rec.samplingFrequency();
        int leads = rec.signalCount();
        List<Channel> channels = new ArrayList<>();
        for (int c = 0; c < leads; c++) {
            channels.add(new Channel("lead" + c, "mV"));
        }
        StreamDescriptor stream = new StreamDescriptor("ecg", rec.name(), Modality.ECG, channels, fs);
        List<List<long[]>> found = new ArrayList<>();
        BeatDelineator[] delineators = new BeatDelineator[leads];
        for (int c = 0; c < leads; c++) {
            List<long[]> rows = new ArrayList<>();
            found.add(rows);
            delineators[c] = new BeatDelineator(fs, d -> rows.add(row(d)));
        }
        EcgBeatListener listener = (sample, t, rr, hr, amplitude) -> {
            for (BeatDelineator d : delineators) {
                d.onBeat(sample);
            }
        };
        EcgProcessor processor = new EcgProcessor(stream, 0, listener);
        double[][] x = new double[leads][];
        for (int c = 0; c < leads; c++) {
            x[c] = rec.physical(c);
        }
        int size = (int) Math.round(fs);
        SampleBlock block = new SampleBlock(stream, size);
        int n = x[0].length;
        for (int off = 0; off < n; off += size) {
            int len = Math.min(size, n - off);
            block.begin(off, 0);
            for (int c = 0; c < leads; c++) {
                System.arraycopy(x[c], off, block.channel(c), 0, len);
            }
            block.setLength(len);
            processor.process(block);
            for (int c = 0; c < leads; c++) {
                delineators[c].process(x[c], off, len);
            }
        }
        processor.finish();
        long[][][] out = new long[leads][][];
        for (int c = 0; c < leads; c++) {
            delineators[c].finish();
            out[c] = found.get(c).toArray(new long[0][]);
        }
        return new Run(rec, out);
    }

    static long[] row(BeatDelineation d) {
        long[] b = new long[WIDTH];
        b[P_ON] = d.pOnset();
        b[P_PEAK] = d.pPeak();
        b[P_OFF] = d.pOffset();
        b[QRS_ON] = d.qrsOnset();
        b[QRS_OFF] = d.qrsOffset();
        b[T_PEAK] = d.tPeak();
        b[T_OFF] = d.tOffset();
        b[R] = d.rPeak();
        b[SNR] = Double.isNaN(d.qrsSnr()) ? 0 : (long) Math.min(1e6, d.qrsSnr());
        return b;
    }

    /**
     * A lead whose {@link BeatDelineation#qrsSnr()} at a beat is below this share of the other lead's is not trusted
     * at that beat.
     */
    static final double LEAD_GATE = 0.3;

    /**
     * Two-lead rule of a reader looking at both leads: at each beat, the leads whose local QRS SNR is at least
     * {@link #LEAD_GATE} of the other's; of those, the earliest onset and the latest offset of the leads that found
     * the wave, peaks from lead 0 when it found them.
     */
    static long[][] combine(long[][] lead0, long[][] lead1) {
        long[][] out = new long[lead0.length][];
        for (int i = 0; i < lead0.length; i++) {
            long[] a = lead0[i];
            long[] b = lead1[i];
            if (b[SNR] < LEAD_GATE * a[SNR]) {
                out[i] = a.clone();
                continue;
            }
            if (a[SNR] < LEAD_GATE * b[SNR]) {
                long[] c = b.clone();
                c[R] = a[R];
                out[i] = c;
                continue;
            }
            long[] c = a.clone();
            c[P_ON] = earliest(a[P_ON], b[P_ON]);
            c[P_PEAK] = a[P_PEAK] != NONE ? a[P_PEAK] : b[P_PEAK];
            c[P_OFF] = latest(a[P_OFF], b[P_OFF]);
            c[QRS_ON] = earliest(a[QRS_ON], b[QRS_ON]);
            c[QRS_OFF] = latest(a[QRS_OFF], b[QRS_OFF]);
            c[T_PEAK] = a[T_PEAK] != NONE ? a[T_PEAK] : b[T_PEAK];
            c[T_OFF] = latest(a[T_OFF], b[T_OFF]);
            out[i] = c;
        }
        return out;
    }

    private static long earliest(long a, long b) {
        return a == NONE ? b : b == NONE ? a : Math.min(a, b);
    }

    private static long latest(long a, long b) {
        return a == NONE ? b : b == NONE ? a : Math.max(a, b);
    }

    /** The row of {@code beats} (sorted by R) whose R lies nearest {@code r} within {@code window} samples, or null. */
    static long[] nearest(long[][] beats, long r, long window) {
        int lo = 0, hi = beats.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (beats[mid][R] < r) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        long[] best = null;
        for (int i = Math.max(0, lo - 1); i <= Math.min(beats.length - 1, lo); i++) {
            long d = Math.abs(beats[i][R] - r);
            if (d <= window && (best == null || d < Math.abs(best[R] - r))) {
                best = beats[i];
            }
        }
        return best;
    }

    /**
     * Errors (found - reference) in ms per fiducial, pooled over the beats of one or more records, and per record the
     * mean and SD (for the statistics of Martinez et al. 2004, see {@link #recordMeanOfMeans}).
     */
    static final class Errors {
        final double[][] values = new double[NAMES.length][];
        final int[] count = new int[NAMES.length];
        /** Reference marks of annotated, matched beats per fiducial (the denominator of sensitivity). */
        final int[] referenceMarks = new int[NAMES.length];
        int annotatedBeats;
        int matchedBeats;
        /** Per merged record and fiducial: number of errors, their mean and SD (NaN below 2 errors). */
        final List<double[][]> records = new ArrayList<>();

        Errors() {
            for (int f = 0; f < NAMES.length; f++) {
                values[f] = new double[256];
            }
        }

        /** Scores the annotated beats of {@code reference} against {@code found}. */
        void add(long[][] reference, long[][] found, double fs) {
            addBestOf(reference, fs, found);
        }

        /**
         * Scores the annotated beats of {@code reference} against the delineation of several leads: a beat counts as
         * matched when a lead has a beat within 150 ms of its R, and for each fiducial the lead whose mark lies
         * nearest the reference mark is taken (the "best lead per beat" protocol of Laguna et al. 1994 and Martinez et
         * al. 2004 for the QT database, whose cardiologists marked each boundary looking at both leads). With one
         * lead it is plain single-lead scoring.
         */
        void addBestOf(long[][] reference, double fs, long[][]... leads) {
            long window = Math.round(MATCH_SECONDS * fs);
            long[][] rows = new long[leads.length][];
            for (long[] ref : reference) {
                annotatedBeats++;
                boolean any = false;
                for (int l = 0; l < leads.length; l++) {
                    rows[l] = nearest(leads[l], ref[R], window);
                    any |= rows[l] != null;
                }
                if (!any) {
                    continue;
                }
                matchedBeats++;
                for (int k = 0; k < NAMES.length; k++) {
                    if (ref[k] == NONE) {
                        continue;
                    }
                    referenceMarks[k]++;
                    long best = NONE;
                    for (long[] row : rows) {
                        if (row != null && row[k] != NONE
                                && (best == NONE || Math.abs(row[k] - ref[k]) < Math.abs(best - ref[k]))) {
                            best = row[k];
                        }
                    }
                    if (best != NONE) {
                        append(k, (best - ref[k]) * 1000.0 / fs);
                    }
                }
            }
        }

        private void append(int k, double v) {
            if (count[k] == values[k].length) {
                values[k] = Arrays.copyOf(values[k], 2 * count[k]);
            }
            values[k][count[k]++] = v;
        }

        /** Adds the errors of one record (or of several, whose per-record summaries are carried over). */
        void merge(Errors from) {
            annotatedBeats += from.annotatedBeats;
            matchedBeats += from.matchedBeats;
            for (int k = 0; k < NAMES.length; k++) {
                referenceMarks[k] += from.referenceMarks[k];
                for (int i = 0; i < from.count[k]; i++) {
                    append(k, from.values[k][i]);
                }
            }
            if (from.records.isEmpty()) {
                double[][] summary = new double[NAMES.length][];
                for (int k = 0; k < NAMES.length; k++) {
                    int n = from.count[k];
                    summary[k] = new double[] {n, n > 0 ? from.mean(k) : Double.NaN, n > 1 ? from.sd(k) : Double.NaN};
                }
                records.add(summary);
            } else {
                records.addAll(from.records);
            }
        }

        /**
         * The mean error of Martinez et al. (2004): the average over records of each record's mean error, over the
         * records with at least one error for fiducial {@code k}.
         */
        double recordMeanOfMeans(int k) {
            return recordAverage(k, 1, 1);
        }

        /**
         * The SD of Martinez et al. (2004): the average over records of each record's SD of the errors, over the
         * records with at least two errors for fiducial {@code k}.
         */
        double recordMeanOfSds(int k) {
            return recordAverage(k, 2, 2);
        }

        /** Records with at least {@code min} errors for fiducial {@code k}. */
        int recordsWith(int k, int min) {
            int n = 0;
            for (double[][] r : records) {
                if (r[k][0] >= min) {
                    n++;
                }
            }
            return n;
        }

        private double recordAverage(int k, int column, int min) {
            double sum = 0;
            int n = 0;
            for (double[][] r : records) {
                if (r[k][0] >= min) {
                    sum += r[k][column];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        double mean(int k) {
            double s = 0;
            for (int i = 0; i < count[k]; i++) {
                s += values[k][i];
            }
            return s / count[k];
        }

        /** The {@code q}-quantile (0..1) of the errors of fiducial {@code k}, linearly interpolated, in ms. */
        double quantile(int k, double q) {
            double[] v = Arrays.copyOf(values[k], count[k]);
            Arrays.sort(v);
            double pos = q * (v.length - 1);
            int i = (int) Math.floor(pos);
            return i + 1 < v.length ? v[i] + (v[i + 1] - v[i]) * (pos - i) : v[i];
        }

        double median(int k) {
            return quantile(k, 0.5);
        }

        /** Interquartile range of the errors of fiducial {@code k}, in ms. */
        double iqr(int k) {
            return quantile(k, 0.75) - quantile(k, 0.25);
        }

        /** Share (0..1) of the errors of fiducial {@code k} whose magnitude is at most {@code toleranceMs}. */
        double shareWithin(int k, double toleranceMs) {
            int n = 0;
            for (int i = 0; i < count[k]; i++) {
                if (Math.abs(values[k][i]) <= toleranceMs) {
                    n++;
                }
            }
            return (double) n / count[k];
        }

        double sd(int k) {
            double m = mean(k);
            double s = 0;
            for (int i = 0; i < count[k]; i++) {
                s += (values[k][i] - m) * (values[k][i] - m);
            }
            return Math.sqrt(s / (count[k] - 1));
        }
    }
}
