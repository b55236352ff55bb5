package org.cardiogate.signal;

/** What physiological signal a stream carries. */
public enum Modality {
    /** Electrocardiogram, channels in millivolts. */
    ECG,
    /** Photoplethysmogram, channels in arbitrary units (ADC counts or normalised). */
    PPG,
    /** Seismocardiogram: chest acceleration, channels in milli-g. */
    SCG,
    /** Anything else (respiration, temperature, test signals). */
    OTHER
}
