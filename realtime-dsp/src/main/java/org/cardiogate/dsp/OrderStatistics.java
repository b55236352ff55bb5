package org.cardiogate.dsp;

/**
 * Medians and k-th smallest values of short arrays, in place and allocation-free, for code that runs per beat or
 * per window (Arrays.sort is avoided for the same reason everywhere in the real-time path).
 */
public final class OrderStatistics {
    private OrderStatistics() {
    }

    /**
     * Median of {@code a[0..n)}, {@code n >= 1}: the middle value, or the mean of the two middle values when
     * {@code n} is even. Sorts that range (insertion sort: the arrays here hold a few dozen values).
     */
    public static double median(double[] a, int n) {
        for (int i = 1; i < n; i++) {
            double v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
        return (n & 1) == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
    }

    /** Median of {@code values[0..n)} computed in {@code scratch} (at least {@code n} long); values is untouched. */
    public static double median(double[] values, int n, double[] scratch) {
        System.arraycopy(values, 0, scratch, 0, n);
        return median(scratch, n);
    }

    /**
     * The {@code k}-th smallest of {@code a[0..n)} (0-based), reordering that range: Hoare's selection, linear on
     * average; the value a full sort would put at index {@code k}.
     */
    public static double select(double[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (hi > lo) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}
