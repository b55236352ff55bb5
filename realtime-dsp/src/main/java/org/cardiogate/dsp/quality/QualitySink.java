package org.cardiogate.dsp.quality;

/** Receives the judgement of each window from a {@link SignalQualityMonitor}, on the thread that feeds it. */
@FunctionalInterface
public interface QualitySink {

    /**
     * @param startSample first sample of the window, counted from the monitor's construction or last reset
     * @param endSample   last sample of the window (inclusive)
     * @param quality     the window's class
     * @param flags       the reasons, bits of {@link QualityFlags}
     */
    void onWindow(long startSample, long endSample, QualityClass quality, int flags);
}
