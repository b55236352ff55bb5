package org.cardiogate.sensor.bus;

import java.io.IOException;

/** A bus transfer failed (the device node returned an error, the port closed). */
public class BusException extends IOException {
    public BusException(String message) {
        super(message);
    }

    public BusException(String message, Throwable cause) {
        super(message, cause);
    }
}
