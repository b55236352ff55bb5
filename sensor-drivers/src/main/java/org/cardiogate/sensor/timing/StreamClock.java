package org.cardiogate.sensor.timing;

import org.cardiogate.signal.SampleTimeline;

/**
 * Turns a stream's sample counter into host monotonic timestamps while estimating the chip oscillator's drift.
 *
 * <p>Each observation pairs a sample sequence number with the host time at which that sample was seen (the
 * data-ready edge, or the FIFO read that returned it). A weighted least-squares line of host time against sequence
 * number, with exponential forgetting (time constant {@code windowSeconds}), gives the real sample period and the
 * time of a reference sample; the {@link SampleTimeline} is re-anchored on that line after every observation. Until
 * {@value #MIN_OBSERVATIONS} observations are in, the nominal rate is used with the mean offset of the observations.
 *
 * <p>Observation latency (interrupt and scheduling delay) is one-sided, so timestamps carry its mean as a constant
 * bias; streams observed the same way share that bias, which therefore cancels in their alignment. Gaps are not
 * filled: a lost sample simply has no observation, and the line stays valid across it.
 *
 * <p>The estimate is clamped to {@code nominal * (1 +- maxDriftPpm)}; {@link #driftOutOfRange()} then reports it.
 * Allocation-free; owned by one acquisition thread (the read-only accessors may be called from others, with the
 * usual data-race caveat of reading a double that is being updated: values are informational).
 */
public final class StreamClock {
    /** Observations needed before the fitted rate replaces the nominal one. */
    public static final int MIN_OBSERVATIONS = 16;

    private final double nominalRateHz;
    private final double nominalPeriodNanos;
    private final double windowSamples;
    private final double maxDriftPpm;
    private final SampleTimeline timeline;

    private long refSeq;
    private long refNanos;
    private double sw;
    private double sx;
    private double sy;
    private double sxx;
    private double sxy;
    private long observations;
    private volatile double periodNanos;
    private volatile boolean driftOutOfRange;

    /**
     * @param nominalRateHz the datasheet rate of the configured output data rate
     * @param windowSeconds forgetting time constant of the fit; longer averages jitter better but follows
     *                      temperature drift more slowly (10 s is a good default)
     * @param maxDriftPpm   largest believable deviation from nominal, in ppm (internal RC oscillators reach 2 %)
     */
    public StreamClock(double nominalRateHz, double windowSeconds, double maxDriftPpm) {
        if (!(nominalRateHz > 0) || Double.isInfinite(nominalRateHz)) {
            throw new IllegalArgumentException("nominal rate must be a positive number of Hz, got " + nominalRateHz);
        }
        if (!(windowSeconds > 0)) {
            throw new IllegalArgumentException("drift window must be > 0 s, got " + windowSeconds);
        }
        if (!(maxDriftPpm > 0 && maxDriftPpm < 500_000)) {
            throw new IllegalArgumentException("max drift must be in (0, 500000) ppm, got " + maxDriftPpm);
        }
        this.nominalRateHz = nominalRateHz;
        this.nominalPeriodNanos = 1e9 / nominalRateHz;
        this.windowSamples = windowSeconds * nominalRateHz;
        this.maxDriftPpm = maxDriftPpm;
        this.timeline = new SampleTimeline(nominalRateHz, 0, 0);
        this.periodNanos = nominalPeriodNanos;
    }

    /** Forgets every observation (after a chip reset: the sample phase changed). */
    public void reset() {
        sw = sx = sy = sxx = sxy = 0;
        observations = 0;
        periodNanos = nominalPeriodNanos;
        driftOutOfRange = false;
    }

    /** Records that sample {@code sequence} was observed at host time {@code hostNanos}. */
    public void observe(long sequence, long hostNanos) {
        if (observations == 0) {
            refSeq = sequence;
            refNanos = hostNanos;
        }
        // move the origin to the new point so sums stay small and well conditioned
        double dx = sequence - refSeq;
        double dy = hostNanos - refNanos;
        sxy = sxy - dx * sy - dy * sx + dx * dy * sw;
        sxx = sxx - 2 * dx * sx + dx * dx * sw;
        sx -= dx * sw;
        sy -= dy * sw;
        refSeq = sequence;
        refNanos = hostNanos;
        double decay = Math.exp(-Math.abs(dx) / windowSamples);
        sw = sw * decay + 1;
        sx *= decay;
        sy *= decay;
        sxx *= decay;
        sxy *= decay;
        observations++;

        double period = nominalPeriodNanos;
        double det = sw * sxx - sx * sx;
        if (observations >= MIN_OBSERVATIONS && det > 0) {
            period = (sw * sxy - sx * sy) / det;
            double lo = nominalPeriodNanos / (1 + maxDriftPpm * 1e-6);
            double hi = nominalPeriodNanos / (1 - maxDriftPpm * 1e-6);
            boolean out = !(period >= lo && period <= hi);
            driftOutOfRange = out;
            if (out) {
                period = Math.max(lo, Math.min(hi, period));
            }
        }
        periodNanos = period;
        double intercept = (sy - period * sx) / sw;
        timeline.reanchor(1e9 / period, refSeq, refNanos + Math.round(intercept));
    }

    /** Monotonic host time of the sample with this sequence number. */
    public long timestampOf(long sequence) {
        return timeline.timestampOf(sequence);
    }

    /** The sequence number of the sample taken closest to host time {@code hostNanos}, by the current fit. */
    public long sequenceAt(long hostNanos) {
        long t0 = timeline.timestampOf(refSeq);
        return refSeq + Math.round((hostNanos - t0) / periodNanos);
    }

    /** Estimated real sample rate in Hz (nominal until enough observations). */
    public double rateHz() {
        return 1e9 / periodNanos;
    }

    public double nominalRateHz() {
        return nominalRateHz;
    }

    /** Estimated oscillator deviation from nominal in ppm; positive when the chip runs fast. */
    public double driftPpm() {
        return (nominalPeriodNanos / periodNanos - 1) * 1e6;
    }

    public long observations() {
        return observations;
    }

    /** True while the fitted rate is outside the configured bound and has been clamped. */
    public boolean driftOutOfRange() {
        return driftOutOfRange;
    }
}
