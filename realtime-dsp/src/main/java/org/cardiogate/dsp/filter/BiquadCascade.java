package org.cardiogate.dsp.filter;

import java.util.List;

/**
 * A cascade of second-order sections in transposed direct form II, run one sample at a time or over a block.
 *
 * <p>Coefficients are fixed at construction; the state is two doubles per section in a primitive array, so
 * {@link #process(double)} allocates nothing. Not thread-safe: one instance per stream, used by one thread.
 */
public final class BiquadCascade {
    private final double sampleRateHz;
    private final Biquad[] sections;
    /** b0, b1, b2, a1, a2 per section. */
    private final double[] coefficients;
    /** s1, s2 per section. */
    private final double[] state;

    public BiquadCascade(double sampleRateHz, List<Biquad> sections) {
        if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("sample rate must be a positive number of Hz, got " + sampleRateHz);
        }
        this.sampleRateHz = sampleRateHz;
        this.sections = sections.toArray(new Biquad[0]);
        this.coefficients = new double[this.sections.length * 5];
        this.state = new double[this.sections.length * 2];
        for (int i = 0; i < this.sections.length; i++) {
            Biquad s = this.sections[i];
            coefficients[5 * i] = s.b0();
            coefficients[5 * i + 1] = s.b1();
            coefficients[5 * i + 2] = s.b2();
            coefficients[5 * i + 3] = s.a1();
            coefficients[5 * i + 4] = s.a2();
        }
    }

    /** A new cascade of the sections of {@code first} followed by those of {@code second}, with fresh state. */
    public static BiquadCascade concat(BiquadCascade first, BiquadCascade second) {
        if (first.sampleRateHz != second.sampleRateHz) {
            throw new IllegalArgumentException("cannot chain filters designed for " + first.sampleRateHz + " Hz and "
                    + second.sampleRateHz + " Hz");
        }
        java.util.ArrayList<Biquad> all = new java.util.ArrayList<>(first.sections());
        all.addAll(second.sections());
        return new BiquadCascade(first.sampleRateHz, all);
    }

    /** Filters one sample. */
    public double process(double x) {
        double[] c = coefficients;
        double[] s = state;
        double v = x;
        for (int i = 0, ci = 0, si = 0; i < sections.length; i++, ci += 5, si += 2) {
            double y = c[ci] * v + s[si];
            s[si] = c[ci + 1] * v - c[ci + 3] * y + s[si + 1];
            s[si + 1] = c[ci + 2] * v - c[ci + 4] * y;
            v = y;
        }
        return v;
    }

    /** Filters {@code len} samples of {@code in} from {@code offset} into {@code out} at the same positions. */
    public void process(double[] in, double[] out, int offset, int len) {
        for (int i = offset, end = offset + len; i < end; i++) {
            out[i] = process(in[i]);
        }
    }

    /** Number of second-order sections. */
    public int sectionCount() {
        return sections.length;
    }

    /**
     * A copy of the coefficients, five per section in order: {@code b0, b1, b2, a1, a2}. For code that runs several
     * cascades in one loop with the state in local variables (see {@link #saveState} and {@link #loadState}); such
     * code must evaluate each section as {@link #process(double)} does to give the same output.
     */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** Copies the state, two values per section, into {@code into} from index {@code at}. Allocation-free. */
    public void saveState(double[] into, int at) {
        System.arraycopy(state, 0, into, at, state.length);
    }

    /** Sets the state, two values per section, from {@code from} at index {@code at} (as saved by {@link #saveState}). */
    public void loadState(double[] from, int at) {
        System.arraycopy(from, at, state, 0, state.length);
    }

    /** Clears the state, as if the input had been zero forever. */
    public void reset() {
        java.util.Arrays.fill(state, 0);
    }

    /**
     * Sets the state as if the input had been {@code x} forever, so that a signal with a DC offset starts without
     * the step response (a high-pass then starts at 0 instead of jumping).
     */
    public void reset(double x) {
        double v = x;
        for (int i = 0; i < sections.length; i++) {
            Biquad b = sections[i];
            double y = b.dcGain() * v;
            state[2 * i + 1] = b.b2() * v - b.a2() * y;
            state[2 * i] = y - b.b0() * v;
            v = y;
        }
    }

    public double sampleRateHz() {
        return sampleRateHz;
    }

    public List<Biquad> sections() {
        return List.of(sections);
    }

    /** Linear gain at {@code hz}. */
    public double magnitudeAt(double hz) {
        double g = 1;
        for (Biquad b : sections) {
            g *= b.magnitudeAt(sampleRateHz, hz);
        }
        return g;
    }

    /** Gain in decibels at {@code hz}. */
    public double gainDbAt(double hz) {
        return 20 * Math.log10(magnitudeAt(hz));
    }

    /**
     * Group delay in samples at {@code hz} (the negative derivative of the phase), by a central difference. The
     * QRS detector uses it to move a peak found in a filtered signal back onto the input's time axis.
     */
    public double groupDelaySamplesAt(double hz) {
        double dHz = Math.min(hz, sampleRateHz / 2 - hz) * 1e-3;
        double dPhase = 0;
        for (Biquad b : sections) {
            double p1 = b.phaseAt(sampleRateHz, hz + dHz);
            double p0 = b.phaseAt(sampleRateHz, hz - dHz);
            double d = p1 - p0;
            if (d > Math.PI) {
                d -= 2 * Math.PI;
            } else if (d < -Math.PI) {
                d += 2 * Math.PI;
            }
            dPhase += d;
        }
        double dOmega = 2 * Math.PI * (2 * dHz) / sampleRateHz;
        return -dPhase / dOmega;
    }
}
