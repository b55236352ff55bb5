package org.cardiogate.dsp.delineation;

/**
 * The dyadic wavelet transform of Mallat (1992) with the quadratic-spline wavelet that Martinez et al. (2004) use for
 * ECG delineation, at scales 2^1 to 2^5. Each scale is applied as one FIR, the convolution of the undecimated
 * ("à trous") filters: low-pass {@code H = [1,3,3,1]/8} at the finer scales, high-pass {@code G = [2,-2]} at the
 * scale itself, each dilated by 2^(k-1). Scale 2^k acts as the derivative of the signal smoothed over about 2^k
 * samples.
 *
 * <p>The FIRs are antisymmetric about a half-sample point: {@link #transform} aligns them so that output {@code n}
 * is the slope at position {@code n + }{@value #HALF} of the input. Immutable; {@link #transform} allocates nothing.
 */
final class DyadicWavelet {
    /** Output {@code n} of every scale describes the input at {@code n + HALF}. */
    static final double HALF = 0.5;
    static final int MAX_SCALE = 5;

    private final double[][] taps = new double[MAX_SCALE + 1][];
    private final int[] centre = new int[MAX_SCALE + 1];

    DyadicWavelet() {
        double[] smooth = {1};
        for (int k = 1; k <= MAX_SCALE; k++) {
            int step = 1 << (k - 1);
            double[] g = new double[step + 1];
            g[0] = 2;
            g[step] = -2;
            taps[k] = convolve(smooth, g);
            centre[k] = (1 << k) - 1;
            double[] h = new double[3 * step + 1];
            h[0] = 1 / 8.0;
            h[step] = 3 / 8.0;
            h[2 * step] = 3 / 8.0;
            h[3 * step] = 1 / 8.0;
            smooth = convolve(smooth, h);
        }
    }

    private static double[] convolve(double[] a, double[] b) {
        double[] c = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                c[i + j] += a[i] * b[j];
            }
        }
        return c;
    }

    /** Half the length of scale {@code k}'s filter, in samples: how far the transform looks either side. */
    int support(int scale) {
        return centre[scale] + 1;
    }

    /**
     * Transforms {@code x[0..len)} at scale 2^{@code scale} into {@code out[from..to)}; samples outside {@code x} are
     * taken equal to the nearest end.
     */
    void transform(double[] x, int len, int scale, double[] out, int from, int to) {
        double[] f = taps[scale];
        int c = centre[scale];
        int last = len - 1;
        for (int n = from; n < to; n++) {
            double s = 0;
            int base = n + c;
            for (int j = 0; j < f.length; j++) {
                double t = f[j];
                if (t != 0) {
                    int i = base - j;
                    s += t * x[i < 0 ? 0 : i > last ? last : i];
                }
            }
            out[n] = s;
        }
    }
}
