package org.cardiogate.dsp.eval;

import java.util.Arrays;

/**
 * Beat-by-beat comparison of detected R peaks with reference beat annotations, as ANSI/AAMI EC57 and the WFDB
 * {@code bxb} program do: a detection within the match window (150 ms by default) of a reference beat is a true
 * positive, each pairing the closest available; unmatched reference beats are false negatives, unmatched detections
 * false positives. Reference beats and detections inside excluded intervals (ventricular flutter or fibrillation
 * episodes, between {@code [} and {@code ]} annotations) are not counted at all.
 *
 * <p>For development and evaluation, not the real-time path: it allocates freely.
 */
public final class BeatMatcher {
    private final double sampleRateHz;
    private final long window;

    /** A matcher with the EC57 window of 150 ms. */
    public BeatMatcher(double sampleRateHz) {
        this(sampleRateHz, 0.150);
    }

    public BeatMatcher(double sampleRateHz, double windowSeconds) {
        if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("sample rate must be a positive number of Hz, got " + sampleRateHz);
        }
        if (!(windowSeconds > 0)) {
            throw new IllegalArgumentException("match window must be positive, got " + windowSeconds + " s");
        }
        this.sampleRateHz = sampleRateHz;
        this.window = Math.round(windowSeconds * sampleRateHz);
    }

    /** Compares without exclusions. */
    public MatchResult match(long[] reference, long[] detected) {
        return match(reference, detected, new long[0], new long[0]);
    }

    /**
     * @param reference     sample numbers of the reference beats
     * @param detected      sample numbers of the detected beats
     * @param excludedStart first sample of each excluded interval
     * @param excludedEnd   last sample of each excluded interval (inclusive), same length as {@code excludedStart}
     */
    public MatchResult match(long[] reference, long[] detected, long[] excludedStart, long[] excludedEnd) {
        if (excludedStart.length != excludedEnd.length) {
            throw new IllegalArgumentException("excluded interval arrays differ in length: " + excludedStart.length
                    + " starts, " + excludedEnd.length + " ends");
        }
        long[] ref = keepOutside(reference, excludedStart, excludedEnd);
        long[] det = keepOutside(detected, excludedStart, excludedEnd);
        long tp = 0;
        long fn = 0;
        long fp = 0;
        double[] offsets = new double[Math.min(ref.length, det.length)];
        int i = 0;
        int j = 0;
        while (i < ref.length && j < det.length) {
            long r = ref[i];
            long t = det[j];
            if (t < r - window) {
                fp++;
                j++;
            } else if (t > r + window) {
                fn++;
                i++;
            } else if (j + 1 < det.length && Math.abs(det[j + 1] - r) < Math.abs(t - r)) {
                // the next detection is closer to this reference beat
                fp++;
                j++;
            } else if (i + 1 < ref.length && Math.abs(ref[i + 1] - t) < Math.abs(t - r)) {
                // this detection belongs to the next reference beat
                fn++;
                i++;
            } else {
                offsets[(int) tp] = (t - r) / sampleRateHz;
                tp++;
                i++;
                j++;
            }
        }
        fn += ref.length - i;
        fp += det.length - j;
        return new MatchResult(tp, fn, fp, Arrays.copyOf(offsets, (int) tp));
    }

    private static long[] keepOutside(long[] samples, long[] start, long[] end) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        long[] out = new long[sorted.length];
        int k = 0;
        for (long s : sorted) {
            boolean excluded = false;
            for (int e = 0; e < start.length && !excluded; e++) {
                excluded = s >= start[e] && s <= end[e];
            }
            if (!excluded) {
                out[k++] = s;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /**
     * Excluded intervals from annotation symbols: from each {@code [} to the next {@code ]} (or to the end of the
     * record, {@code Long.MAX_VALUE}, if none follows). Returns {starts, ends}.
     */
    public static long[][] flutterEpisodes(long[] annotationSamples, String[] annotationSymbols) {
        if (annotationSamples.length != annotationSymbols.length) {
            throw new IllegalArgumentException("annotation arrays differ in length: " + annotationSamples.length
                    + " samples, " + annotationSymbols.length + " symbols");
        }
        long[] starts = new long[annotationSamples.length];
        long[] ends = new long[annotationSamples.length];
        int k = 0;
        long open = -1;
        for (int a = 0; a < annotationSamples.length; a++) {
            if ("[".equals(annotationSymbols[a]) && open < 0) {
                open = annotationSamples[a];
            } else if ("]".equals(annotationSymbols[a]) && open >= 0) {
                starts[k] = open;
                ends[k++] = annotationSamples[a];
                open = -1;
            }
        }
        if (open >= 0) {
            starts[k] = open;
            ends[k++] = Long.MAX_VALUE;
        }
        return new long[][] {Arrays.copyOf(starts, k), Arrays.copyOf(ends, k)};
    }
}
