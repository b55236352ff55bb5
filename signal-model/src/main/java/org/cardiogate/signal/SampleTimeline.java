package org.cardiogate.signal;

/**
 * Maps a stream's sample sequence numbers to monotonic nanoseconds, given the time at which one sample was taken
 * and the nominal rate. Sources that can measure their real rate (drivers with drift estimation) re-anchor it;
 * offline replay uses it as it is. Allocation-free.
 */
public final class SampleTimeline {
    private long anchorSequence;
    private long anchorNanos;
    private double periodNanos;

    public SampleTimeline(double rateHz, long anchorSequence, long anchorNanos) {
        reanchor(rateHz, anchorSequence, anchorNanos);
    }

    /** Sets a new anchor point and rate, for example after a drift estimate or a source reset. */
    public void reanchor(double rateHz, long anchorSequence, long anchorNanos) {
        if (!(rateHz > 0) || Double.isInfinite(rateHz)) {
            throw new IllegalArgumentException("sample rate must be a positive number of Hz, got " + rateHz);
        }
        this.periodNanos = 1e9 / rateHz;
        this.anchorSequence = anchorSequence;
        this.anchorNanos = anchorNanos;
    }

    /** Monotonic time of the sample with this sequence number. */
    public long timestampOf(long sequence) {
        return anchorNanos + Math.round((sequence - anchorSequence) * periodNanos);
    }

    /** The sequence number of the sample nearest to a monotonic time (the inverse of {@link #timestampOf}). */
    public long sampleAt(long nanos) {
        return anchorSequence + Math.round((nanos - anchorNanos) / periodNanos);
    }

    /** Rate in hertz currently used for the mapping. */
    public double rateHz() {
        return 1e9 / periodNanos;
    }
}
