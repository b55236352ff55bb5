package org.cardiogate.dsp.eval;

import java.util.Arrays;

/**
 * The outcome of a beat-by-beat comparison (ANSI/AAMI EC57 style).
 *
 * @param truePositives  reference beats matched by a detection
 * @param falseNegatives reference beats no detection matched
 * @param falsePositives detections that matched no reference beat
 * @param offsetsSeconds detection minus reference time of every match, in seconds, in reference order
 */
public record MatchResult(long truePositives, long falseNegatives, long falsePositives, double[] offsetsSeconds) {

    public MatchResult {
        offsetsSeconds = offsetsSeconds.clone();
    }

    /** Sensitivity TP / (TP + FN) in percent, or NaN with no reference beats. */
    public double sensitivityPercent() {
        long d = truePositives + falseNegatives;
        return d == 0 ? Double.NaN : 100.0 * truePositives / d;
    }

    /** Positive predictivity TP / (TP + FP) in percent, or NaN with no detections. */
    public double positivePredictivityPercent() {
        long d = truePositives + falsePositives;
        return d == 0 ? Double.NaN : 100.0 * truePositives / d;
    }

    /** Median of detection minus reference time over the matches, in seconds, or NaN with no match. */
    public double medianOffsetSeconds() {
        if (offsetsSeconds.length == 0) {
            return Double.NaN;
        }
        double[] s = offsetsSeconds.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** Gross totals: the counts added and the offsets pooled. */
    public MatchResult plus(MatchResult other) {
        double[] all = Arrays.copyOf(offsetsSeconds, offsetsSeconds.length + other.offsetsSeconds.length);
        System.arraycopy(other.offsetsSeconds, 0, all, offsetsSeconds.length, other.offsetsSeconds.length);
        return new MatchResult(truePositives + other.truePositives, falseNegatives + other.falseNegatives,
                falsePositives + other.falsePositives, all);
    }

    public static MatchResult empty() {
        return new MatchResult(0, 0, 0, new double[0]);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "TP=%d FN=%d FP=%d Se=%.2f%% +P=%.2f%% median offset=%.1f ms",
                truePositives, falseNegatives, falsePositives, sensitivityPercent(), positivePredictivityPercent(),
                medianOffsetSeconds() * 1000);
    }
}
