package org.cardiogate.inference.alarm;

import org.cardiogate.signal.EventType;

/**
 * A snapshot of one alarm, as given to listeners and status pages.
 *
 * @param id              stable identifier: {@code <stream>:<type>:<onset sample>}, the same for the alarm's life
 *                        and across replays of the same recording
 * @param streamId        the stream
 * @param type            the condition
 * @param technical       technical (equipment) rather than physiological
 * @param priority        current priority (after any escalation)
 * @param latching        stays after the condition ends until reset
 * @param conditionActive the condition is still present
 * @param audible         the audio signal is on (not paused, not acknowledged)
 * @param acknowledged    an operator acknowledged it
 * @param onsetSample     sample where the condition began
 * @param onsetNanos      monotonic time of the onset
 * @param evidence        R-peak samples of the beats that caused it (may be empty)
 * @param detail          the detail text of the last event
 */
public record AlarmView(String id, String streamId, EventType type, boolean technical, AlarmPriority priority,
                        boolean latching, boolean conditionActive, boolean audible, boolean acknowledged,
                        long onsetSample, long onsetNanos, long[] evidence, String detail) {
    public AlarmView {
        evidence = evidence.clone();
    }

    @Override
    public long[] evidence() {
        return evidence.clone();
    }
}
