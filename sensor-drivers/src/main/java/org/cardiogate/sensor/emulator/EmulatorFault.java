package org.cardiogate.sensor.emulator;

/** A fault an emulated chip can be switched into (and back out of, with {@link #NONE}). */
public enum EmulatorFault {
    NONE,
    /**
     * MISO reads 0xFF on every byte; the chip itself keeps working. I2C emulators that model it
     * ({@link Max86150Emulator}) acknowledge as usual but every byte the host reads is 0xFF.
     */
    MISO_STUCK_HIGH,
    /** MISO reads 0x00 on every byte (on I2C: every byte read is 0x00); the chip itself keeps working. */
    MISO_STUCK_LOW,
    /** The conversion clock stops: no more data-ready edges, data frozen. START has no effect while it lasts. */
    DATA_READY_STALL,
    /**
     * The board is unplugged: SPI reads 0x00, I2C is not acknowledged, no data-ready edges; when plugged back the
     * chip comes up with its power-on register values.
     */
    UNPLUGGED,
    /**
     * I2C only ({@link Max86150Emulator}): the device does not acknowledge (a held bus, an address clash) but stays
     * powered and keeps converting into its FIFO, registers intact; emulators that do not model it ignore it.
     */
    NACK
}
