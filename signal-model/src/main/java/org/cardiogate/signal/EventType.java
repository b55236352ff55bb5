package org.cardiogate.signal;

/** Kinds of rhythm, alarm and technical events. The names are those written by {@code analyze}. */
public enum EventType {
    /** Atrial fibrillation. */
    AF,
    /** Ventricular tachycardia. */
    VT,
    /** A pause: no beat for longer than the configured limit. */
    PAUSE,
    /** Asystole. */
    ASYSTOLE,
    /** Heart rate below the configured limit. */
    BRADY,
    /** Heart rate above the configured limit. */
    TACHY,
    /** Signal too noisy to trust. */
    NOISE,
    /** Electrode off. */
    LEAD_OFF,
    /** Samples lost between source and DSP. */
    GAP,
    /**
     * A sensor stopped delivering valid samples: no samples for seconds, unplugged, data-ready stalled, a bus
     * returning only ones or zeros, a serial port gone. Ongoing until the sensor delivers again.
     */
    SENSOR_FAULT
}
