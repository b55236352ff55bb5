package org.cardiogate.dsp.fusion.window;

import org.cardiogate.dsp.filter.BiquadCascade;

/**
 * Forward-backward filtering of a window held in an array (the {@code filtfilt} of the window analyses): the
 * magnitude response is squared and the phase cancels, so fiducial points keep their time. Each pass starts in the
 * steady state of its first input value, which keeps the edge transients short. Allocation-free; not thread-safe.
 */
public final class ZeroPhaseFilter {
    private final BiquadCascade cascade;

    public ZeroPhaseFilter(BiquadCascade cascade) {
        this.cascade = cascade;
    }

    /** Filters {@code x[0..len)} into {@code out[0..len)}; {@code out} may be {@code x}. */
    public void apply(double[] x, double[] out, int len) {
        if (len == 0) {
            return;
        }
        BiquadCascade c = cascade;
        c.reset(x[0]);
        for (int i = 0; i < len; i++) {
            out[i] = c.process(x[i]);
        }
        c.reset(out[len - 1]);
        for (int i = len - 1; i >= 0; i--) {
            out[i] = c.process(out[i]);
        }
    }
}
