package org.cardiogate.ui;

import java.util.Objects;

/**
 * The latest heart rate of one stream, as the page shows it.
 *
 * @param streamId       the stream it was measured from
 * @param bpm            beats per minute, or {@code NaN} when the source cannot measure it now
 * @param source         how it was measured, for example {@code "ecg"} or {@code "ppg"}
 * @param sample         sequence number, in the stream, of the sample the value refers to
 * @param timestampNanos monotonic time of that sample
 */
public record HeartRate(String streamId, double bpm, String source, long sample, long timestampNanos) {
    public HeartRate {
        Objects.requireNonNull(streamId, "streamId");
        source = source == null ? "" : source;
    }
}
