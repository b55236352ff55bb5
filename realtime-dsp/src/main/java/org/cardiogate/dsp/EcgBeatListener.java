package org.cardiogate.dsp;

/**
 * Receives what an {@link EcgProcessor} finds, on the thread that calls {@link EcgProcessor#process}. Arguments are
 * primitives so that reporting allocates nothing; an implementation must not block.
 */
public interface EcgBeatListener {

    /**
     * A beat, in increasing sample order.
     *
     * @param sample         sequence number of the R peak in the stream's own sample counter
     * @param timestampNanos monotonic time of the R peak, from the blocks' timestamps and the nominal rate
     * @param rrSeconds      interval from the previous beat, or NaN for the first beat after a start or a gap
     * @param heartRateBpm   averaged heart rate after this beat, or NaN
     * @param amplitude      signed R deflection in the lead's unit (e.g. mV)
     */
    void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude);

    /**
     * The stream lost samples or restarted: beats before and after are not joined (no RR across it) and the detector
     * starts learning again.
     *
     * @param firstMissing sequence number of the first missing sample (for a restart: the first new sample)
     * @param lostSamples  how many samples are missing (0 for a restart of the source's counter)
     */
    default void onDiscontinuity(long firstMissing, long lostSamples) {
    }
}
