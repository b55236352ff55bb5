package org.cardiogate.inference.alarm;

/** Alarm priority of IEC 60601-1-8, in increasing urgency. */
public enum AlarmPriority {
    LOW, MEDIUM, HIGH;

    /** The next higher priority, or this one if it is already {@link #HIGH}. */
    public AlarmPriority escalated() {
        return this == HIGH ? HIGH : values()[ordinal() + 1];
    }
}
