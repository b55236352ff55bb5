package org.cardiogate.sensor.fault;

import java.util.Objects;

/**
 * A fact about a sensor's health, as opposed to a clinical event: a fault, a loss of samples, a recovery.
 *
 * @param type           what happened
 * @param sensor         the stream id (or sensor name) it concerns, e.g. {@code "ecg"}
 * @param monotonicNanos host monotonic time at which the driver noticed it
 * @param detail         human-readable specifics (register values, counts, electrode names)
 */
public record TechnicalEvent(TechnicalEventType type, String sensor, long monotonicNanos, String detail) {
    public TechnicalEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(detail, "detail");
    }
}
