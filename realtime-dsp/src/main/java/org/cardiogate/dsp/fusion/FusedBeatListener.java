package org.cardiogate.dsp.fusion;

/** Receives what a {@link FusionEngine} produces, on the thread that calls its {@code process}. Must not block. */
public interface FusedBeatListener {

    /** A finished beat; {@code beat} is reused after this returns ({@link FusedBeat#copy()} keeps it). */
    void onBeat(FusedBeat beat);

    /**
     * The heart rate after a beat of the source currently chosen, or when the choice changes.
     *
     * @param nanos  monotonic time of the beat it was updated at
     * @param bpm    median of the source's recent beat-to-beat intervals, as a rate
     * @param source the modality it comes from
     */
    default void onHeartRate(long nanos, double bpm, HeartRateSource source) {
    }

    /**
     * Every PPG pulse as the pulse detector reports it (with its SpO2 and perfusion index when the stream has red
     * and infrared), before it is matched to an ECG beat; {@code pulse} is reused after this returns.
     */
    default void onPulse(org.cardiogate.dsp.ppg.PpgPulse pulse) {
    }
}
