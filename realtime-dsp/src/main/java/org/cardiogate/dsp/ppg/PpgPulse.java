package org.cardiogate.dsp.ppg;

/**
 * One detected pulse. The processor reuses one instance: it is valid only during
 * {@link PulseListener#onPulse(PpgPulse)}; {@link #copy()} keeps it.
 */
public final class PpgPulse {
    /** Quality flag: the raw signal sat at its extremes (ADC clipping). */
    public static final int CLIPPED = 1;
    /** Quality flag: amplitude far from the recent pulses' (motion or contact change). */
    public static final int MOTION = 2;
    /** Quality flag: almost no pulsatile signal (contact loss, no perfusion). */
    public static final int FLAT = 4;
    /**
     * Quality flag (artefact stretches): the raw signal stayed exactly constant for longer than a pulse's upstroke can
     * (a monitor holding its last value during a dropout, or a saturated front end).
     */
    public static final int HELD = 8;

    long footNanos;
    long peakNanos;
    double amplitude;
    double quality;
    int flags;
    double pulseRateBpm = Double.NaN;
    double perfusionIndexPercent = Double.NaN;
    double ratio = Double.NaN;
    double spo2Percent = Double.NaN;

    /** Monotonic time of the pulse foot (onset of the upstroke, largest second derivative), ns. */
    public long footNanos() {
        return footNanos;
    }

    /** Monotonic time of the systolic peak, ns. */
    public long peakNanos() {
        return peakNanos;
    }

    /** Foot-to-peak amplitude of the band-passed primary (IR) channel, in the stream's unit. */
    public double amplitude() {
        return amplitude;
    }

    /** 0..1: correlation with the running pulse template, lowered by the flags. */
    public double quality() {
        return quality;
    }

    /** Bits {@link #CLIPPED}, {@link #MOTION}, {@link #FLAT}, {@link #HELD}. */
    public int flags() {
        return flags;
    }

    /** Pulse rate from the median of the recent peak-to-peak intervals, bpm; NaN at first. */
    public double pulseRateBpm() {
        return pulseRateBpm;
    }

    /** AC/DC of the primary channel in percent; NaN when the DC level is not positive (a mean-removed signal). */
    public double perfusionIndexPercent() {
        return perfusionIndexPercent;
    }

    /** Red/IR ratio of ratios of this pulse (median of recent pulses); NaN without a red channel. */
    public double ratio() {
        return ratio;
    }

    /** SpO2 from {@link #ratio()} by the calibration line, clamped to 0..100 %; NaN without a red channel. */
    public double spo2Percent() {
        return spo2Percent;
    }

    public PpgPulse copy() {
        PpgPulse p = new PpgPulse();
        p.footNanos = footNanos;
        p.peakNanos = peakNanos;
        p.amplitude = amplitude;
        p.quality = quality;
        p.flags = flags;
        p.pulseRateBpm = pulseRateBpm;
        p.perfusionIndexPercent = perfusionIndexPercent;
        p.ratio = ratio;
        p.spo2Percent = spo2Percent;
        return p;
    }
}
