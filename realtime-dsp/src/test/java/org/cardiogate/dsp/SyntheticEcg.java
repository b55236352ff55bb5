package org.cardiogate.dsp;

import java.util.Arrays;
import java.util.Random;

/**
 * A synthetic ECG for tests: Gaussian P, Q, R, S and T waves (the shape of McSharry's ECGSYN without its dynamics),
 * an RR sequence with some variability, baseline wander and white noise, at any rate. The R peak sample of every
 * beat is known exactly.
 */
public final class SyntheticEcg {
    public final double[] signal;
    public final long[] rPeaks;

    private SyntheticEcg(double[] signal, long[] rPeaks) {
        this.signal = signal;
        this.rPeaks = rPeaks;
    }

    /**
     * @param fs        sample rate in Hz
     * @param seconds   length
     * @param meanRr    mean RR interval in seconds
     * @param polarity  +1 for an upright R, -1 for a QS-like inverted complex
     * @param noiseMv   standard deviation of white noise in mV
     * @param seed      random seed
     */
    public static SyntheticEcg generate(double fs, double seconds, double meanRr, double polarity, double noiseMv,
                                        long seed) {
        Random rnd = new Random(seed);
        int n = (int) Math.round(fs * seconds);
        double[] x = new double[n];
        long[] r = new long[(int) (seconds / (meanRr * 0.7)) + 2];
        int count = 0;
        double t = 0.6;
        while (t < seconds - 0.6) {
            long rs = Math.round(t * fs);
            r[count++] = rs;
            double tr = rs / fs;
            // wave: centre offset (s), width sigma (s), amplitude (mV)
            addWave(x, fs, tr - 0.20, 0.025, 0.15);
            addWave(x, fs, tr - 0.025, 0.008, -0.12 * polarity);
            addWave(x, fs, tr, 0.010, 1.2 * polarity);
            addWave(x, fs, tr + 0.025, 0.008, -0.25 * polarity);
            addWave(x, fs, tr + 0.28, 0.045, 0.30);
            t += meanRr * (1 + 0.08 * rnd.nextGaussian());
        }
        for (int i = 0; i < n; i++) {
            double s = i / fs;
            x[i] += 0.3 * Math.sin(2 * Math.PI * 0.25 * s) - 0.4 + noiseMv * rnd.nextGaussian();
        }
        return new SyntheticEcg(x, Arrays.copyOf(r, count));
    }

    /** Adds a Gaussian wave centred at {@code centre} seconds, of standard deviation {@code sigma} seconds. */
    public static void addWave(double[] x, double fs, double centre, double sigma, double amplitude) {
        int from = Math.max(0, (int) ((centre - 5 * sigma) * fs));
        int to = Math.min(x.length - 1, (int) ((centre + 5 * sigma) * fs) + 1);
        for (int i = from; i <= to; i++) {
            double z = (i / fs - centre) / sigma;
            x[i] += amplitude * Math.exp(-0.5 * z * z);
        }
    }
}
