package org.cardiogate.sensor.serial;

import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.SerialLink;

/** Opens (or reopens, after the port vanished) the serial link of a board. Called on the acquisition thread. */
@FunctionalInterface
public interface SerialLinkOpener {
    SerialLink open() throws BusException;
}
