package org.cardiogate.dsp.qrs;

/** Receives the beats a {@link QrsDetector} finds, in increasing sample order, on the thread that feeds it. */
@FunctionalInterface
public interface BeatSink {

    /**
     * @param rPeakSample index of the R peak, counted from the first sample given to the detector after its
     *                    construction or last {@link QrsDetector#reset()}
     * @param amplitude   the signed deflection of the R peak from its local baseline, in the input's units
     *                    (negative for a QS complex)
     */
    void onBeat(long rPeakSample, double amplitude);
}
