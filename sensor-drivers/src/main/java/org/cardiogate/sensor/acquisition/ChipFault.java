package org.cardiogate.sensor.acquisition;

import org.cardiogate.sensor.fault.TechnicalEventType;

/** A fault that makes the driver stop reading, report it and recover (reconfigure) after a backoff. */
public final class ChipFault extends Exception {
    private final TechnicalEventType type;

    public ChipFault(TechnicalEventType type, String detail) {
        super(detail);
        this.type = type;
    }

    public TechnicalEventType type() {
        return type;
    }
}
