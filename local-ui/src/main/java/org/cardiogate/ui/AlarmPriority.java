package org.cardiogate.ui;

/**
 * Alarm priorities of IEC 60601-1-8. The page shows high in flashing red with the 10-pulse burst, medium in yellow
 * with the 3-pulse burst, low in cyan with one or two pulses.
 */
public enum AlarmPriority {
    HIGH, MEDIUM, LOW
}
