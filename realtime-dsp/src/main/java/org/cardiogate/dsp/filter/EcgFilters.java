package org.cardiogate.dsp.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Designs the filters an ECG front end needs, for any sample rate from 125 Hz to 2000 Hz (any rate where the
 * cut-offs lie below Nyquist works). Every method returns a new cascade with its own state.
 *
 * <p>Group delays at 10 Hz (the centre of QRS energy) for the defaults: the 0.5 Hz high-pass is slightly
 * negative (phase lead, under 1 ms); the 40 Hz low-pass about 5.5 ms; the 5-15 Hz band-pass about 20 ms;
 * a 50/60 Hz notch well under 1 ms. {@link BiquadCascade#groupDelaySamplesAt(double)} gives the exact figure.
 */
public final class EcgFilters {
    private static final double BUTTERWORTH_Q = Math.sqrt(0.5);

    private EcgFilters() {
    }

    /** Butterworth low-pass of even order {@code order} (2, 4, ...). */
    public static BiquadCascade lowPass(double sampleRateHz, double cutoffHz, int order) {
        List<Biquad> s = new ArrayList<>();
        for (double q : butterworthQs(order)) {
            s.add(Biquad.lowPass(sampleRateHz, cutoffHz, q));
        }
        return new BiquadCascade(sampleRateHz, s);
    }

    /** Butterworth high-pass of even order {@code order} (2, 4, ...). */
    public static BiquadCascade highPass(double sampleRateHz, double cutoffHz, int order) {
        List<Biquad> s = new ArrayList<>();
        for (double q : butterworthQs(order)) {
            s.add(Biquad.highPass(sampleRateHz, cutoffHz, q));
        }
        return new BiquadCascade(sampleRateHz, s);
    }

    /** Band-pass made of a Butterworth high-pass at {@code lowHz} and a low-pass at {@code highHz}, each of {@code order}. */
    public static BiquadCascade bandPass(double sampleRateHz, double lowHz, double highHz, int order) {
        if (!(lowHz < highHz)) {
            throw new IllegalArgumentException("band-pass edges must satisfy low < high, got " + lowHz + " Hz and "
                    + highHz + " Hz");
        }
        return BiquadCascade.concat(highPass(sampleRateHz, lowHz, order), lowPass(sampleRateHz, highHz, order));
    }

    /** Baseline-wander removal: second-order Butterworth high-pass at 0.5 Hz. */
    public static BiquadCascade baselineHighPass(double sampleRateHz) {
        return highPass(sampleRateHz, 0.5, 2);
    }

    /** Muscle-noise low-pass: second-order Butterworth at 40 Hz (about 5.5 ms group delay in the QRS band). */
    public static BiquadCascade diagnosticLowPass(double sampleRateHz) {
        return lowPass(sampleRateHz, 40, 2);
    }

    /** The QRS energy band used by the detector: fourth-order band 5-15 Hz. */
    public static BiquadCascade qrsBandPass(double sampleRateHz) {
        return bandPass(sampleRateHz, 5, 15, 2);
    }

    /**
     * Power-line notch at {@code mainsHz} (50 or 60) and its first harmonic, each 2 Hz wide at -3 dB. A notch at
     * or above the Nyquist frequency is left out; if both are, the cascade is empty and passes the signal unchanged.
     */
    public static BiquadCascade powerLineNotch(double sampleRateHz, double mainsHz) {
        if (!(mainsHz > 0)) {
            throw new IllegalArgumentException("mains frequency must be positive, got " + mainsHz + " Hz");
        }
        List<Biquad> s = new ArrayList<>();
        for (double f = mainsHz; f <= 2 * mainsHz; f += mainsHz) {
            if (f < sampleRateHz / 2 * 0.98) {
                s.add(Biquad.notch(sampleRateHz, f, 2));
            }
        }
        return new BiquadCascade(sampleRateHz, s);
    }

    private static double[] butterworthQs(int order) {
        if (order < 2 || order % 2 != 0) {
            throw new IllegalArgumentException("filter order must be even and at least 2, got " + order);
        }
        if (order == 2) {
            return new double[] {BUTTERWORTH_Q};
        }
        double[] q = new double[order / 2];
        for (int k = 0; k < q.length; k++) {
            double theta = Math.PI * (2 * k + 1) / (2.0 * order);
            q[k] = 1 / (2 * Math.cos(theta));
        }
        return q;
    }
}
