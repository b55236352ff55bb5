package org.cardiogate.inference.rhythm;

import org.cardiogate.signal.CardiacEvent;

/** Receives rhythm events with the R-peak samples of the beats that caused them. */
public interface RhythmSink {
    /**
     * @param event    the event: onset ({@code offsetSample == -1}) or closed
     * @param evidence R-peak samples of the beats behind it (a new array, the receiver may keep it)
     */
    void onEvent(CardiacEvent event, long[] evidence);

    /**
     * A run of ventricular bigeminy or trigeminy, closed. Reported apart because {@link
     * org.cardiogate.signal.EventType} has no type for them yet.
     *
     * @param streamId    the stream
     * @param pattern     {@code "BIGEMINY"} or {@code "TRIGEMINY"}
     * @param onsetSample first beat of the run
     * @param offsetSample last beat of the run
     * @param cycles      repetitions of the pattern
     */
    default void onPattern(String streamId, String pattern, long onsetSample, long offsetSample, int cycles) {
    }
}
