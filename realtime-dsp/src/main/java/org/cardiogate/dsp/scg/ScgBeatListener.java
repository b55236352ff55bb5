package org.cardiogate.dsp.scg;

/** Receives the beats an {@link ScgProcessor} finds on its own (without ECG), on the processing thread. */
@FunctionalInterface
public interface ScgBeatListener {
    /** A beat found in the SCG alone; {@code beat} is reused after this returns (AC is not set). */
    void onScgBeat(ScgBeat beat);
}
