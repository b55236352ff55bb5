package org.cardiogate.dsp.delineation;

/**
 * The wave boundaries of one beat, as sample numbers in the stream's own sequence counter (the counter of the R peaks
 * given to {@link BeatDelineator#onBeat(long)}), on the time axis of the input signal (filter delays removed). A
 * boundary that was not found is {@link #NONE}; a missing P wave has all three P fields {@code NONE}.
 *
 * <p>A mutable holder the delineator fills and reuses for every beat, so that delivering a beat allocates nothing.
 * Not thread-safe.
 */
public final class BeatDelineation {
    /** Marks a boundary that was not found. */
    public static final long NONE = Long.MIN_VALUE;

    double sampleRateHz = Double.NaN;
    long rPeak = NONE;
    double rrSeconds = Double.NaN;
    long pOnset = NONE;
    long pPeak = NONE;
    long pOffset = NONE;
    long qrsOnset = NONE;
    long qrsOffset = NONE;
    long tPeak = NONE;
    long tOffset = NONE;
    int tPolarity;
    int pPolarity;
    double qrsSnr = Double.NaN;

    void clear(double rate, long r, double rr) {
        sampleRateHz = rate;
        rPeak = r;
        rrSeconds = rr;
        pOnset = NONE;
        pPeak = NONE;
        pOffset = NONE;
        qrsOnset = NONE;
        qrsOffset = NONE;
        tPeak = NONE;
        tOffset = NONE;
        tPolarity = 0;
        pPolarity = 0;
        qrsSnr = Double.NaN;
    }

    /** Copies every field of {@code other} into this holder. */
    public void copyFrom(BeatDelineation other) {
        sampleRateHz = other.sampleRateHz;
        rPeak = other.rPeak;
        rrSeconds = other.rrSeconds;
        pOnset = other.pOnset;
        pPeak = other.pPeak;
        pOffset = other.pOffset;
        qrsOnset = other.qrsOnset;
        qrsOffset = other.qrsOffset;
        tPeak = other.tPeak;
        tOffset = other.tOffset;
        tPolarity = other.tPolarity;
        pPolarity = other.pPolarity;
        qrsSnr = other.qrsSnr;
    }

    /** Sample rate of the sample numbers, in Hz. */
    public double sampleRateHz() {
        return sampleRateHz;
    }

    /** The R peak as it was reported to the delineator. */
    public long rPeak() {
        return rPeak;
    }

    /** Interval from the previous R given to the delineator, in seconds, or NaN for the first beat after a reset. */
    public double rrSeconds() {
        return rrSeconds;
    }

    public long pOnset() {
        return pOnset;
    }

    public long pPeak() {
        return pPeak;
    }

    public long pOffset() {
        return pOffset;
    }

    public long qrsOnset() {
        return qrsOnset;
    }

    public long qrsOffset() {
        return qrsOffset;
    }

    public long tPeak() {
        return tPeak;
    }

    public long tOffset() {
        return tOffset;
    }

    /** Whether a P wave was found before this QRS. */
    public boolean hasP() {
        return pPeak != NONE;
    }

    /** Whether a T wave was found after this QRS. */
    public boolean hasT() {
        return tPeak != NONE;
    }

    /** +1 for an upright T wave, -1 for an inverted one, 0 when none was found. */
    public int tPolarity() {
        return tPolarity;
    }

    /** +1 for an upright P wave, -1 for an inverted one, 0 when none was found. */
    public int pPolarity() {
        return pPolarity;
    }

    /**
     * Local quality of the lead at this beat: the largest QRS slope (wavelet scale 2^2) over the median slope magnitude
     * of the 1.45 s around it (noise and slow waves), dimensionless; NaN when no QRS was found. Clean leads give
     * some tens to hundreds, a lead buried in noise a few units. Lets a multi-lead reader trust the boundaries of the
     * leads that are clean at this beat.
     */
    public double qrsSnr() {
        return qrsSnr;
    }

    @Override
    public String toString() {
        return "BeatDelineation[R=" + rPeak + ", P=" + show(pOnset) + "/" + show(pPeak) + "/" + show(pOffset) + ", QRS="
                + show(qrsOnset) + "-" + show(qrsOffset) + ", T=" + show(tPeak) + "/" + show(tOffset) + "]";
    }

    private static String show(long v) {
        return v == NONE ? "-" : Long.toString(v);
    }
}
