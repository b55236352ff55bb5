package org.cardiogate.sensor.emulator;

/** A fault an emulated chip can be switched into (and back out of, with {@link #NONE}). */
public enum EmulatorFault {
    NONE,
    /** MISO reads 0xFF on every byte; the chip itself keeps working. */
    MISO_STUCK_HIGH,
    /** MISO reads 0x00 on every byte; the chip itself keeps working. */
    MISO_STUCK_LOW,
    /** The conversion clock stops: no more data-ready edges, data frozen. START has no effect while it lasts. */
    DATA_READY_STALL,
    /**
     * The board is unplugged: SPI reads 0x00, I2C is not acknowledged, no data-ready edges; when plugged back the
     * chip comes up with its power-on register values.
     */
    UNPLUGGED
}
