package org.cardiogate.dsp.filter;

/**
 * Coefficients of one second-order IIR section, normalised so that {@code a0 = 1}:
 * {@code H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)}.
 *
 * <p>The factories design sections by the bilinear transform with frequency prewarping (the RBJ audio-EQ formulas),
 * so a cut-off given in hertz is exact at any sample rate. Immutable; the state lives in {@link BiquadCascade}.
 */
public record Biquad(double b0, double b1, double b2, double a1, double a2) {

    public Biquad {
        if (!Double.isFinite(b0) || !Double.isFinite(b1) || !Double.isFinite(b2) || !Double.isFinite(a1)
                || !Double.isFinite(a2)) {
            throw new IllegalArgumentException("biquad coefficients must be finite");
        }
        // stability triangle of the denominator 1 + a1 z^-1 + a2 z^-2
        if (!(Math.abs(a2) < 1 && Math.abs(a1) < 1 + a2)) {
            throw new IllegalArgumentException("biquad is unstable: a1=" + a1 + ", a2=" + a2);
        }
    }

    /** Second-order low-pass with quality factor {@code q} (0.7071 for Butterworth). */
    public static Biquad lowPass(double sampleRateHz, double cutoffHz, double q) {
        double w0 = omega(sampleRateHz, cutoffHz, "low-pass cut-off");
        double cos = Math.cos(w0);
        double alpha = Math.sin(w0) / (2 * q);
        return normalised((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /** Second-order high-pass with quality factor {@code q} (0.7071 for Butterworth). */
    public static Biquad highPass(double sampleRateHz, double cutoffHz, double q) {
        double w0 = omega(sampleRateHz, cutoffHz, "high-pass cut-off");
        double cos = Math.cos(w0);
        double alpha = Math.sin(w0) / (2 * q);
        return normalised((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /**
     * Second-order notch: zero gain at {@code centreHz}, unity gain far from it, with {@code bandwidthHz} the
     * width between the -3 dB points.
     */
    public static Biquad notch(double sampleRateHz, double centreHz, double bandwidthHz) {
        double w0 = omega(sampleRateHz, centreHz, "notch centre");
        if (!(bandwidthHz > 0)) {
            throw new IllegalArgumentException("notch bandwidth must be positive, got " + bandwidthHz + " Hz");
        }
        double cos = Math.cos(w0);
        double alpha = Math.sin(w0) / (2 * (centreHz / bandwidthHz));
        return normalised(1, -2 * cos, 1, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /**
     * Whether the numerator is {@code b0 (1 + 2 z^-1 + z^-2)}, as for every {@link #lowPass}: then the section can be
     * run as {@code y = b0 (x + 2 x1 + x2) - a1 y1 - a2 y2} with three multiplications instead of five.
     */
    public boolean hasLowPassNumerator() {
        return close(b1, 2 * b0) && close(b2, b0);
    }

    /** Whether the numerator is {@code b0 (1 - 2 z^-1 + z^-2)}, as for every {@link #highPass}. */
    public boolean hasHighPassNumerator() {
        return close(b1, -2 * b0) && close(b2, b0);
    }

    /**
     * Whether the section is a {@link #notch}: {@code b2 = b0} and {@code b1 = a1}, so that it can be run as
     * {@code y = b0 (x + x2) + a1 (x1 - y1) - a2 y2}.
     */
    public boolean isNotchShape() {
        return close(b2, b0) && close(b1, a1);
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
    }

    /** Gain (linear magnitude) at {@code hz}. */
    public double magnitudeAt(double sampleRateHz, double hz) {
        double[] h = response(sampleRateHz, hz);
        return Math.hypot(h[0], h[1]);
    }

    /** Phase in radians at {@code hz}. */
    public double phaseAt(double sampleRateHz, double hz) {
        double[] h = response(sampleRateHz, hz);
        return Math.atan2(h[1], h[0]);
    }

    /** Gain at 0 Hz; used to start a filter in the steady state of a constant input. */
    public double dcGain() {
        return (b0 + b1 + b2) / (1 + a1 + a2);
    }

    private double[] response(double sampleRateHz, double hz) {
        double w = 2 * Math.PI * hz / sampleRateHz;
        double c1 = Math.cos(w), s1 = -Math.sin(w), c2 = Math.cos(2 * w), s2 = -Math.sin(2 * w);
        double nr = b0 + b1 * c1 + b2 * c2, ni = b1 * s1 + b2 * s2;
        double dr = 1 + a1 * c1 + a2 * c2, di = a1 * s1 + a2 * s2;
        double den = dr * dr + di * di;
        return new double[] {(nr * dr + ni * di) / den, (ni * dr - nr * di) / den};
    }

    private static double omega(double sampleRateHz, double hz, String what) {
        if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("sample rate must be a positive number of Hz, got " + sampleRateHz);
        }
        if (!(hz > 0 && hz < sampleRateHz / 2)) {
            throw new IllegalArgumentException(what + " " + hz + " Hz must lie between 0 and the Nyquist frequency "
                    + sampleRateHz / 2 + " Hz");
        }
        return 2 * Math.PI * hz / sampleRateHz;
    }

    private static Biquad normalised(double b0, double b1, double b2, double a0, double a1, double a2) {
        return new Biquad(b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0);
    }
}
