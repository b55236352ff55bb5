package org.cardiogate.inference.alarm;

import java.util.Objects;

import org.cardiogate.signal.EventType;

/**
 * How one kind of condition alarms.
 *
 * @param type      the event type that raises it
 * @param technical a technical alarm (equipment: lead off, noise, lost samples) rather than a physiological one
 * @param priority  initial priority
 * @param latching  a latching alarm stays (visual and audio) after its condition ends, until an operator resets it
 */
public record AlarmCondition(EventType type, boolean technical, AlarmPriority priority, boolean latching) {
    public AlarmCondition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(priority, "priority");
    }

    /**
     * Bedside defaults: asystole and VT high and latching (life-threatening, IEC 60601-2-27); AF, pause,
     * bradycardia and tachycardia medium; lead off and a failed sensor medium technical (the patient is not being
     * monitored on it); noise and gaps low technical.
     */
    public static AlarmCondition defaultFor(EventType type) {
        return switch (type) {
            case ASYSTOLE, VT -> new AlarmCondition(type, false, AlarmPriority.HIGH, true);
            case AF, PAUSE, BRADY, TACHY -> new AlarmCondition(type, false, AlarmPriority.MEDIUM, false);
            case LEAD_OFF, SENSOR_FAULT -> new AlarmCondition(type, true, AlarmPriority.MEDIUM, false);
            case NOISE, GAP -> new AlarmCondition(type, true, AlarmPriority.LOW, false);
        };
    }
}
