package org.cardiogate.dsp.eval;

import java.util.Arrays;

/**
 * Noisy test records made the way the MIT-BIH Noise Stress Test Database was (Moody, Muldrow and Mark 1984; WFDB
 * {@code nst}): noise from a noise record is added to a clean record in alternating two-minute stretches after the
 * first five minutes, scaled for a chosen signal-to-noise ratio. The signal power is {@code S = A^2 / 8} with
 * {@code A} the median peak-to-peak amplitude of the reference beats' QRS complexes in the clean signal (the power of
 * a sine of that peak-to-peak amplitude), the noise power {@code N} the mean square of the noise (its mean removed)
 * over the stretches where it is added; the noise is scaled so that {@code 10 log10(S / N) = SNR}.
 */
final class NoiseStress {
    /** Clean samples before the first noisy stretch: 5 minutes at {@code fs}. */
    static final double CLEAN_START_SECONDS = 300;
    /** Length of each noisy and each clean stretch after the start. */
    static final double STRETCH_SECONDS = 120;
    private static final double QRS_HALF_WIDTH_SECONDS = 0.05;

    private NoiseStress() {
    }

    /** Whether sample {@code i} lies in a noisy stretch. */
    static boolean noisy(long i, double fs) {
        double t = i / fs - CLEAN_START_SECONDS;
        return t >= 0 && ((long) Math.floor(t / STRETCH_SECONDS)) % 2 == 0;
    }

    /** Median QRS peak-to-peak amplitude of {@code x} around the reference beats, in the signal's units. */
    static double medianQrsPeakToPeak(double[] x, long[] beats, double fs) {
        int half = (int) Math.round(QRS_HALF_WIDTH_SECONDS * fs);
        double[] pp = new double[beats.length];
        int k = 0;
        for (long b : beats) {
            int from = (int) Math.max(0, b - half);
            int to = (int) Math.min(x.length - 1, b + half);
            if (to <= from) {
                continue;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = from; i <= to; i++) {
                min = Math.min(min, x[i]);
                max = Math.max(max, x[i]);
            }
            pp[k++] = max - min;
        }
        if (k == 0) {
            throw new IllegalArgumentException("no reference beats to measure the QRS amplitude from");
        }
        double[] s = Arrays.copyOf(pp, k);
        Arrays.sort(s);
        return k % 2 == 1 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
    }

    /**
     * The clean signal with {@code noise} added in the noisy stretches at {@code snrDb}. Sample {@code i} of the noise
     * goes with sample {@code i} of the signal; the noise must be at least as long.
     */
    static double[] addNoise(double[] clean, long[] beats, double fs, double[] noise, double snrDb) {
        if (noise.length < clean.length) {
            throw new IllegalArgumentException("noise record of " + noise.length + " samples is shorter than the"
                    + " signal of " + clean.length);
        }
        double a = medianQrsPeakToPeak(clean, beats, fs);
        double signalPower = a * a / 8;
        double sum = 0;
        long count = 0;
        for (int i = 0; i < clean.length; i++) {
            if (noisy(i, fs)) {
                sum += noise[i];
                count++;
            }
        }
        double mean = sum / count;
        double power = 0;
        for (int i = 0; i < clean.length; i++) {
            if (noisy(i, fs)) {
                double v = noise[i] - mean;
                power += v * v;
            }
        }
        power /= count;
        double gain = Math.sqrt(signalPower / (power * Math.pow(10, snrDb / 10)));
        double[] out = clean.clone();
        for (int i = 0; i < clean.length; i++) {
            if (noisy(i, fs)) {
                out[i] += gain * (noise[i] - mean);
            }
        }
        return out;
    }
}
