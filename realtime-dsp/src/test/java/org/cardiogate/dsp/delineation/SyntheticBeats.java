package org.cardiogate.dsp.delineation;

/**
 * A continuous-time ECG made of compact raised-cosine waves with known boundaries, sampled at any rate. Each wave is
 * zero outside its interval, so its onset and offset are exact. Beat k has its R peak at {@code first + k * rr}
 * seconds. Times below are relative to R, in seconds.
 */
final class SyntheticBeats {
    static final double P_ON = -0.200, P_PEAK = -0.150, P_OFF = -0.100;
    static final double QRS_ON = -0.050, QRS_OFF = 0.050;
    static final double T_ON = 0.120, T_PEAK = 0.290, T_OFF = 0.400;

    final double first;
    final double rr;
    final double tAmplitude;
    final double pAmplitude;

    SyntheticBeats(double first, double rr, double tAmplitude) {
        this(first, rr, tAmplitude, 0.15);
    }

    /** With a P wave of {@code pAmplitude} mV (0: none). */
    SyntheticBeats(double first, double rr, double tAmplitude, double pAmplitude) {
        this.first = first;
        this.rr = rr;
        this.tAmplitude = tAmplitude;
        this.pAmplitude = pAmplitude;
    }

    /** R peak of beat k in seconds. */
    double r(int k) {
        return first + k * rr;
    }

    /** The signal in mV at {@code t} seconds: a 0.3 mV offset plus the waves of the beats around t. */
    double value(double t) {
        int k = (int) Math.round((t - first) / rr);
        double v = 0.3;
        for (int j = k - 1; j <= k + 1; j++) {
            if (j >= 0) {
                v += beat(t - r(j));
            }
        }
        return v;
    }

    private double beat(double u) {
        return bump(u, P_ON, P_PEAK, P_OFF, pAmplitude)
                + bump(u, QRS_ON, -0.035, -0.020, -0.10)
                + bump(u, -0.030, 0.0, 0.030, 1.20)
                + bump(u, 0.015, 0.032, QRS_OFF, -0.30)
                + bump(u, T_ON, T_PEAK, T_OFF, tAmplitude);
    }

    /** A raised-cosine wave from {@code a} to {@code c} with its peak {@code height} at {@code b} (asymmetric halves). */
    private static double bump(double u, double a, double b, double c, double height) {
        if (u <= a || u >= c) {
            return 0;
        }
        double x = u < b ? (u - a) / (b - a) : 1 + (u - b) / (c - b);
        return height * 0.5 * (1 - Math.cos(Math.PI * x));
    }

    double[] sample(double fs, double seconds) {
        double[] x = new double[(int) Math.round(seconds * fs)];
        for (int i = 0; i < x.length; i++) {
            x[i] = value(i / fs);
        }
        return x;
    }
}
