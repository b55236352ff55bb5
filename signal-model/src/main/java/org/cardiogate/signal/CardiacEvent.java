package org.cardiogate.signal;

import java.util.Objects;

/**
 * A rhythm, alarm or technical event spanning a stretch of a stream.
 *
 * @param streamId       the stream it concerns
 * @param type           what happened
 * @param onsetSample    sequence number of the first sample of the episode
 * @param offsetSample   sequence number of the last sample, or -1 while the episode is still going on
 * @param timestampNanos monotonic time of the onset
 * @param detail         a short human-readable explanation, e.g. {@code "HR 38 bpm < 40 bpm"}
 */
public record CardiacEvent(String streamId, EventType type, long onsetSample, long offsetSample, long timestampNanos,
                           String detail) {
    public CardiacEvent {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(type, "type");
        detail = detail == null ? "" : detail;
    }

    public boolean isOngoing() {
        return offsetSample < 0;
    }
}
