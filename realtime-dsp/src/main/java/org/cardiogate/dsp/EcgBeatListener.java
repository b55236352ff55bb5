package org.cardiogate.dsp;

import org.cardiogate.dsp.quality.QualityClass;
import org.cardiogate.dsp.quality.QualityFlags;

/**
 * Receives what an {@link EcgProcessor} finds, on the thread that calls {@link EcgProcessor#process}. Arguments are
 * primitives (and enum constants) so that reporting allocates nothing; an implementation must not block.
 *
 * <p>Only {@link #onBeat(long, long, double, double, double)} must be implemented; the signal quality methods have
 * empty defaults.
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
     * A beat with the signal quality it was found in; the processor calls this one, and by default it passes the
     * beat on to {@link #onBeat(long, long, double, double, double)}. {@code quality} is the stream's class as last
     * judged when the beat is reported: that of the window that ended at most window + decision delay (1.5 s with
     * the defaults) before the report, so a beat at the very start of a noisy stretch may still read GOOD. For the
     * exact stretches use {@link #onNoise}. Without signal quality monitoring it is always GOOD.
     */
    default void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude,
                        QualityClass quality) {
        onBeat(sample, timestampNanos, rrSeconds, heartRateBpm, amplitude);
    }

    /**
     * The stream lost samples or restarted: beats before and after are not joined (no RR across it) and the detector
     * starts learning again.
     *
     * @param firstMissing sequence number of the first missing sample (for a restart: the first new sample)
     * @param lostSamples  how many samples are missing (0 for a restart of the source's counter)
     */
    default void onDiscontinuity(long firstMissing, long lostSamples) {
    }

    /**
     * The judgement of one window of one lead, in order, about window + decision delay after the window began.
     *
     * @param lead        index of the channel in the stream
     * @param startSample sequence number of the window's first sample
     * @param endSample   sequence number of its last sample (inclusive)
     * @param quality     its class
     * @param flags       the reasons, bits of {@link QualityFlags}
     */
    default void onQuality(int lead, long startSample, long endSample, QualityClass quality, int flags) {
    }

    /**
     * A stretch in which no lead used for detection is usable has begun: beats from here on are not trusted and alarms
     * should be held back until {@link #onNoise} closes it. Told when the first unusable window is judged.
     *
     * @param startSample sequence number of the stretch's first sample
     * @param flags       the reasons of its first window, bits of {@link QualityFlags}
     */
    default void onNoiseOnset(long startSample, int flags) {
    }

    /**
     * A finished NOISE stretch: consecutive windows in which no lead used for detection was usable. Told when the first
     * window after it is judged usable, at a gap or restart, or at {@link EcgProcessor#finish()}.
     *
     * @param startSample sequence number of its first sample
     * @param endSample   sequence number of its last sample (inclusive)
     * @param flags       the union of the reasons over its windows, bits of {@link QualityFlags}
     */
    default void onNoise(long startSample, long endSample, int flags) {
    }
}
