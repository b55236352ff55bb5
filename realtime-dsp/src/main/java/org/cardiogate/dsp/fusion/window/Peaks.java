package org.cardiogate.dsp.fusion.window;

/** Small allocation-free searches over windows held in arrays. */
public final class Peaks {
    private Peaks() {
    }

    /** Index of the largest value in {@code x[from..to)} (clamped to the array), or -1 if the range is empty. */
    public static int argMax(double[] x, int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(x.length, to);
        int best = -1;
        double v = Double.NEGATIVE_INFINITY;
        for (int i = a; i < b; i++) {
            if (x[i] > v) {
                v = x[i];
                best = i;
            }
        }
        return best;
    }

    /** Index of the smallest value in {@code x[from..to)}, or -1 if the range is empty. */
    public static int argMin(double[] x, int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(x.length, to);
        int best = -1;
        double v = Double.POSITIVE_INFINITY;
        for (int i = a; i < b; i++) {
            if (x[i] < v) {
                v = x[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * Sub-sample position of the extremum at {@code i} by a parabola through {@code x[i-1..i+1]}; {@code i} itself
     * at the array's ends or when the three points are collinear.
     */
    public static double parabolic(double[] x, int i, int len) {
        if (i <= 0 || i >= len - 1) {
            return i;
        }
        double a = x[i - 1];
        double b = x[i];
        double c = x[i + 1];
        double d = a - 2 * b + c;
        if (d == 0) {
            return i;
        }
        double off = 0.5 * (a - c) / d;
        return i + Math.max(-0.5, Math.min(0.5, off));
    }

    /** Pearson correlation of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}; 0 when either is constant. */
    public static double correlation(double[] a, int aOff, double[] b, int bOff, int n) {
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < n; i++) {
            sa += a[aOff + i];
            sb += b[bOff + i];
        }
        double ma = sa / n;
        double mb = sb / n;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int i = 0; i < n; i++) {
            double da = a[aOff + i] - ma;
            double db = b[bOff + i] - mb;
            saa += da * da;
            sbb += db * db;
            sab += da * db;
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
    }
}
